/** electron-vite's `?modulePath` import: the path of the imported module, built as its own bundle. */
declare module '*?modulePath' {
  const path: string;
  export default path;
}
