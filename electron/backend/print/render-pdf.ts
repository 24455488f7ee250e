// Renders a pdfmake document definition to PDF bytes in Node, with the Roboto fonts shipped by pdfmake.
// No network or disk access beyond the fonts: documents are built from the local store only.
import { createRequire } from 'node:module';

interface PdfmakeServer {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(callback: (url: string) => boolean): void;
  setLocalAccessPolicy(callback: (path: string) => boolean): void;
  createPdf(doc: PdfDocument): { getBuffer(): Promise<Buffer> };
}

const require = createRequire(import.meta.url);
let engine: PdfmakeServer | null = null;

function pdfmake(): PdfmakeServer {
  if (engine) return engine;
  const loaded = require('pdfmake') as PdfmakeServer;
  const fonts = require('pdfmake/fonts/Roboto.js') as Record<string, Record<string, string>>;
  const allowed = new Set(Object.values(fonts.Roboto ?? {}));
  loaded.setFonts(fonts);
  loaded.setUrlAccessPolicy(() => false);
  loaded.setLocalAccessPolicy((path) => allowed.has(path));
  engine = loaded;
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
  return pdfmake()
    .createPdf({ pageSize: 'A4', language: 'fr-FR', defaultStyle: { font: 'Roboto', fontSize: 10 }, ...doc })
    .getBuffer();
}
