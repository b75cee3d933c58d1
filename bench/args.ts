// The benchmarks' command-line options: `--name value` pairs and `--flag` switches.
const args = process.argv.slice(2);

export const flag = (name: string): boolean => args.includes(`--${name}`);

export const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
