/**
 * The subset of Python's `str.format` that Keras checkpoint paths use: `{epoch:02d}`,
 * `{val_loss:.2f}`, `{batch}`, `{loss:.4e}`. An unknown key is an error naming the known ones.
 */
export function formatPath(template: string, values: Record<string, number>): string {
  return template.replace(
    /\{([A-Za-z_][\w]*)(?::([^}]*))?\}/g,
    (_m, key: string, spec?: string) => {
      const value = values[key];
      if (value === undefined) {
        throw new Error(
          `Failed to format the file path "${template}": key "${key}" is not available. ` +
            `Available keys: ${Object.keys(values).join(', ')}`,
        );
      }
      return formatNumber(value, spec ?? '');
    },
  );
}

function formatNumber(value: number, spec: string): string {
  const m = /^(0)?(\d+)?(?:\.(\d+))?([dfeEg%])?$/.exec(spec);
  if (!m) throw new Error(`Unsupported format spec ":${spec}" in a checkpoint path.`);
  const [, zero, widthStr, precStr, type] = m;
  const precision = precStr !== undefined ? Number(precStr) : undefined;
  let text: string;
  switch (type) {
    case 'd':
      text = String(Math.trunc(value));
      break;
    case 'f':
      text = value.toFixed(precision ?? 6);
      break;
    case 'e':
    case 'E':
      text = value.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      if (type === 'E') text = text.toUpperCase();
      break;
    case 'g':
      text = precision !== undefined ? String(Number(value.toPrecision(precision))) : String(value);
      break;
    case '%':
      text = `${(value * 100).toFixed(precision ?? 6)}%`;
      break;
    default:
      text = precision !== undefined ? value.toFixed(precision) : String(value);
  }
  const width = widthStr !== undefined ? Number(widthStr) : 0;
  if (text.length < width) {
    if (zero) {
      const neg = text.startsWith('-');
      const body = neg ? text.slice(1) : text;
      text = (neg ? '-' : '') + body.padStart(width - (neg ? 1 : 0), '0');
    } else {
      text = text.padStart(width, ' ');
    }
  }
  return text;
}
