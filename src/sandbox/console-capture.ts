const truncatedMarker = "…[console output truncated]";

/** Console lines of one input, capped so a chatty or hostile eval cannot grow host memory. */
export class ConsoleCapture {
  private lines: string[] = [];
  private used = 0;
  private truncated = false;

  constructor(private readonly maxChars: number) {}

  append(level: string, text: string): void {
    if (this.truncated) {
      return;
    }
    const line = level === "log" || level === "info" ? text : `[${level}] ${text}`;
    const room = this.maxChars - this.used;
    if (line.length + 1 > room) {
      this.lines.push(line.slice(0, Math.max(0, room)));
      this.truncated = true;
      return;
    }
    this.lines.push(line);
    this.used += line.length + 1;
  }

  reset(): void {
    this.lines = [];
    this.used = 0;
    this.truncated = false;
  }

  text(): string {
    const body = this.lines.join("\n");
    return this.truncated ? `${body}${truncatedMarker}` : body;
  }
}
