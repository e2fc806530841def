export * from './dates';
export * from './interval';
export * from './next-due';
export * from './status';
export * from './service';
export * from './compliance';
