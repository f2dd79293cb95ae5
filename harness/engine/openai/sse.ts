// Server-sent events decoding: bytes in, the `data` payload of each complete event out.

/** Incremental SSE decoder (WHATWG EventSource parsing, `data` field only). */
export class SseDecoder {
  readonly #text = new TextDecoder('utf-8');
  #buffer = '';
  #data: string[] = [];
  #sawField = false;

  /** Feeds a chunk; returns the data payloads of the events it completed. */
  push(chunk: Uint8Array): string[] {
    this.#buffer += this.#text.decode(chunk, { stream: true });
    return this.#drain(false);
  }

  /** Ends the stream; an unterminated last event is returned too (lenient, as most clients are). */
  end(): string[] {
    this.#buffer += this.#text.decode();
    return this.#drain(true);
  }

  #drain(final: boolean): string[] {
    const events: string[] = [];
    let start = 0;
    for (;;) {
      let eol = -1;
      for (let i = start; i < this.#buffer.length; i++) {
        const c = this.#buffer.charCodeAt(i);
        if (c === 10 || c === 13) {
          eol = i;
          break;
        }
      }
      if (eol === -1) break;
      // A lone CR at the very end of the buffer may be the first half of CRLF: wait for more.
      if (this.#buffer.charCodeAt(eol) === 13 && eol === this.#buffer.length - 1 && !final) break;
      const line = this.#buffer.slice(start, eol);
      start = eol + (this.#buffer.charCodeAt(eol) === 13 && this.#buffer.charCodeAt(eol + 1) === 10 ? 2 : 1);
      this.#line(line, events);
    }
    this.#buffer = this.#buffer.slice(start);
    if (final) {
      if (this.#buffer !== '') this.#line(this.#buffer, events);
      this.#buffer = '';
      this.#line('', events);
    }
    return events;
  }

  #line(line: string, events: string[]): void {
    if (line === '') {
      if (this.#sawField) events.push(this.#data.join('\n'));
      this.#data = [];
      this.#sawField = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.#data.push(value);
    this.#sawField = true;
  }
}
