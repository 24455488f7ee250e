// Renders a pdfmake document definition to PDF bytes in Node, with the Roboto fonts shipped by pdfmake.
// No network or disk access beyond the fonts: documents are built from the local store only.
// Loaded on first use with a dynamic import: works from ESM (tsx, tests), the CommonJS bundle of Electron main
// and test worker bundles alike (no `import.meta.url`), and keeps pdfmake out of the desk's start-up.

interface PdfmakeServer {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(callback: (url: string) => boolean): void;
  setLocalAccessPolicy(callback: (path: string) => boolean): void;
  createPdf(doc: PdfDocument): { getBuffer(): Promise<Buffer> };
}

type Fonts = Record<string, Record<string, string>>;
let engine: Promise<PdfmakeServer> | null = null;

function unwrap<T>(module: T | { default: T }): T {
  return typeof module === 'object' && module !== null && 'default' in module ? module.default : module;
}

function pdfmake(): Promise<PdfmakeServer> {
  engine ??= (async () => {
    const loaded = unwrap<PdfmakeServer>(await import('pdfmake'));
    const fonts = unwrap<Fonts>(await import('pdfmake/fonts/Roboto.js'));
    const allowed = new Set(Object.values(fonts.Roboto ?? {}));
    loaded.setFonts(fonts);
    loaded.setUrlAccessPolicy(() => false);
    loaded.setLocalAccessPolicy((path) => allowed.has(path));
    return loaded;
  })();
  return engine;
}

/**
 * A pdfmake document definition (see pdfmake's docs: content, styles, header/footer, tables, images as data URLs).
 * Typed loosely on purpose: @types/pdfmake pulls the DOM library into the Node build.
 */
export type PdfContent = string | PdfContent[] | { [key: string]: unknown };
export interface PdfDocument {
  content: PdfContent;
  [key: string]: unknown;
}

/** The PDF bytes of a document; page A4 and French metadata unless the document says otherwise. */
export async function renderPdf(doc: PdfDocument): Promise<Buffer> {
  return (await pdfmake())
    .createPdf({ pageSize: 'A4', language: 'fr-FR', defaultStyle: { font: 'Roboto', fontSize: 10 }, ...doc })
    .getBuffer();
}
