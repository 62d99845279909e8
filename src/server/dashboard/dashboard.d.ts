/** dashboard.js is a browser script, only ever imported `with { type: "file" }`: what it gives TypeScript is its path. */
declare const path: string;
export default path;
