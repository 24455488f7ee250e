/**
 * The scanner's output folder ("À classer"): the desk watches it (fs.watch) and tells the renderer when files
 * appear or go; each file is checked by content (format, size) so the agent sees at once what cannot be
 * attached. A scan attached to a family is removed from the folder once the piece is recorded (its bytes are in
 * the blob store by then). Only plain files directly in the folder count (no sub-folders, no hidden files).
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DomainError, isDomainError } from '../../../core/errors';
import { detectFileType } from '../../../core/documents/detect';
import { PIECE_MAX_FILE_BYTES, checkPieceFile } from '../../../core/documents/pieces';
import type { ScanDto } from '../../contract/documents';

const DEBOUNCE_MS = 150;

export class ScanInbox {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly dir: string,
    private readonly onChange: () => void,
  ) {}

  /** Creates the folder if needed and starts watching it. */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    if (this.watcher) return;
    try {
      this.watcher = watch(this.dir, { persistent: false }, () => this.changed());
      this.watcher.on('error', (error) => console.warn('[desk] scan folder watch failed', error));
    } catch (error) {
      console.warn(`[desk] cannot watch the scan folder ${this.dir}`, error);
    }
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The files waiting, newest first, each checked by content. */
  async list(): Promise<ScanDto[]> {
    await mkdir(this.dir, { recursive: true });
    const entries = await readdir(this.dir, { withFileTypes: true });
    const scans: ScanDto[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const path = join(this.dir, entry.name);
      try {
        const info = await stat(path);
        scans.push({
          name: entry.name,
          size: info.size,
          modifiedAt: info.mtime.toISOString(),
          ...(await this.check(path, entry.name, info.size)),
        });
      } catch {
        // Gone meanwhile (attached or moved by someone else): not listed.
      }
    }
    return scans.sort((a, b) =>
      a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : a.name.localeCompare(b.name),
    );
  }

  /** A scan's bytes; throws SCAN_NOT_FOUND when it is not (or no longer) in the folder. */
  async read(name: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(name));
    } catch (error) {
      if (isDomainError(error)) throw error;
      throw new DomainError('SCAN_NOT_FOUND', `Le scan « ${name} » n'est plus dans le dossier du scanner.`);
    }
  }

  async remove(name: string): Promise<boolean> {
    try {
      await rm(this.pathOf(name));
      return true;
    } catch {
      return false;
    }
  }

  private pathOf(name: string): string {
    if (name !== basename(name) || name.startsWith('.') || name.length === 0)
      throw new DomainError('SCAN_NAME_INVALID', 'Nom de scan invalide.');
    return join(this.dir, name);
  }

  /** Checks by content; a file over the size limit is not even read. */
  private async check(
    path: string,
    name: string,
    size: number,
  ): Promise<Pick<ScanDto, 'contentType' | 'problem'>> {
    try {
      const detected =
        size === 0 || size > PIECE_MAX_FILE_BYTES ? null : await detectFileType(await readFile(path));
      return { contentType: checkPieceFile({ name, size, detected }).contentType, problem: null };
    } catch (error) {
      if (isDomainError(error)) return { contentType: null, problem: error.message };
      throw error;
    }
  }

  private changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onChange();
    }, DEBOUNCE_MS);
    this.timer.unref();
  }
}
