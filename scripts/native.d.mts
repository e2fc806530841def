// Types of scripts/native.mjs for the tests that import it.
export declare const root: string;
export declare function electronVersion(): string;
export declare function driverVersion(): string;
export declare function electronBindingPath(version?: string, driver?: string, platform?: NodeJS.Platform, arch?: string, base?: string): string;
export declare function withoutBuildFolder(src: string): (file: string) => boolean;
export declare function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number;
export declare function withBuildFolderKept<T>(buildDir: string, work: () => T): T;
export declare function ensureElectronDriver(say?: (line: string) => void): string | null;
