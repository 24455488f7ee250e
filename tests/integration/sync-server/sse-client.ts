// A minimal Server-Sent Events reader over fetch, for the tests.
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  /** The next event with this name (other events are skipped); rejects after `timeoutMs`. */
  next(event: string, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];

  async function readFrame(): Promise<SseEvent | null> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = frame.split('\n').filter((line) => !line.startsWith(':'));
        if (lines.length === 0) continue;
        const field = (name: string) =>
          lines
            .filter((line) => line.startsWith(`${name}:`))
            .map((line) => line.slice(name.length + 1).trimStart())
            .join('\n');
        return { event: field('event') || 'message', data: field('data') };
      }
      const chunk = await reader?.read();
      if (!chunk || chunk.done) return null;
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  }

  return {
    status: response.status,
    async next(event, timeoutMs = 5000) {
      const queued = queue.findIndex((item) => item.event === event);
      if (queued >= 0) return queue.splice(queued, 1)[0] as SseEvent;
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no "${event}" event within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        while (Date.now() < deadline) {
          const frame = await Promise.race([readFrame(), timeout]);
          if (frame === null) throw new Error('stream closed');
          if (frame.event === event) return frame;
          queue.push(frame);
        }
        throw new Error(`no "${event}" event within ${timeoutMs} ms`);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      controller.abort();
    },
  };
}
