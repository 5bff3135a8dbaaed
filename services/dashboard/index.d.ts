/** Absolute path of the static pages, styles and images. */
export declare const publicDir: string;
/** Absolute path of the compiled browser code (built by `pnpm --filter @deepface/dashboard build`). */
export declare const scriptsDir: string;
