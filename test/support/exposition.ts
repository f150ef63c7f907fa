import parse from 'parse-prometheus-text-format';

/**
 * A Prometheus text exposition parsed (parse-prometheus-text-format, a port
 * of the Prometheus Python client's parser that fails on malformed input),
 * and its samples looked up by name and exact labels. It drops histograms'
 * labels: read those lines from the text. promtool (the Go parser) checks
 * every live scrape too.
 */
export class Exposition {
  readonly families: ReturnType<typeof parse>;

  constructor(text: string) {
    this.families = parse(text);
  }

  family(name: string): parse.Family {
    const family = this.families.find((f) => f.name === name);
    if (!family) {
      throw new Error(`no metric ${name} in the exposition`);
    }
    return family;
  }

  /** The series of `name` whose labels are exactly `labels`. */
  series(name: string, labels: Record<string, string>): parse.Sample {
    const wanted = JSON.stringify(Object.entries(labels).sort());
    const found = this.family(name).metrics.find(
      (m) => JSON.stringify(Object.entries(m.labels ?? {}).sort()) === wanted,
    );
    if (!found) {
      throw new Error(`no ${name}${JSON.stringify(labels)}`);
    }
    return found;
  }

  /** The value of a counter or gauge series. */
  value(name: string, labels: Record<string, string> = {}): number {
    return Number(this.series(name, labels).value);
  }

  /** Label sets of every series of `name`. */
  labelSets(name: string): Record<string, string>[] {
    return this.family(name).metrics.map((m) => ({ ...m.labels }));
  }
}
