/** The progress line: rewritten in place on a terminal, one line per update otherwise. */

export interface ProgressLine {
  update(text: string): void;
  done(text: string): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const inPlace = stream.isTTY === true;
  return {
    update(text) {
      stream.write(inPlace ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    done(text) {
      stream.write(inPlace ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}
