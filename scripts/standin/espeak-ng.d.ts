// Types for the `espeak-ng` npm package (eSpeak-NG as an Emscripten module; the package ships none): the
// factory runs the espeak-ng command line once with `arguments` and exposes the module's in-memory FS.
declare module 'espeak-ng' {
  interface ESpeakNgModule {
    FS: { readFile(path: string, options?: { encoding?: 'binary' }): Uint8Array };
  }
  export default function ESpeakNg(options: { arguments: string[] }): Promise<ESpeakNgModule>;
}
