/** The server log: one timestamped line per event, in the state dir, rotated at 5 MB. */
import fs from 'node:fs';

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function fileLogger(file: string, now: () => Date = () => new Date()): Logger {
  let written = 0;
  try {
    written = fs.statSync(file).size;
  } catch {
    written = 0;
  }
  const line = (level: string, message: string): void => {
    const text = `${now().toISOString()} ${level} ${message.replace(/\n/g, '\\n')}\n`;
    try {
      if (written + text.length > MAX_LOG_BYTES) {
        fs.renameSync(file, `${file}.1`);
        written = 0;
      }
      fs.appendFileSync(file, text, { mode: 0o600 });
      written += text.length;
    } catch {
      // Logging must never take the server down.
    }
  };
  return {
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (m) => line('error', m),
  };
}
