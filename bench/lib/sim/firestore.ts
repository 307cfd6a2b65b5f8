// Firestore as the scale simulation counts it: every write, per document and per second, against the two
// figures Google gives in its best practices (firebase.google.com/docs/firestore/best-practices, "Updates to a
// single document" and "Ramping up traffic"): about one sustained write per second per document, and for a new
// database or collection the "500/50/5" ramp, 500 operations per second to start, then 50% more every 5
// minutes (as restated by c.doit.com/blog/firestore-scaling-the-500505-rule-and-how-to-test-it; both read
// 2026-12-03 in the tool library's copies).

/** What the 500/50/5 rule allows `seconds` after the traffic started. */
export function rampAllowance(seconds: number): number {
  return 500 * 1.5 ** Math.floor(seconds / 300);
}

export class WriteLog {
  readonly perDoc = new Map<string, number[]>();
  readonly perSecond = new Map<number, number>();
  total = 0;
  project = 0;

  write(doc: string, at: number, n = 1): void {
    this.total += n;
    const s = Math.floor(at);
    this.perSecond.set(s, (this.perSecond.get(s) ?? 0) + n);
    if (doc.startsWith('projects/')) {
      this.project += n;
      let times = this.perDoc.get(doc);
      if (!times) this.perDoc.set(doc, (times = []));
      for (let i = 0; i < n; i++) times.push(at);
    }
  }

  peakPerDoc(windowSeconds: number): number {
    let peak = 0;
    for (const times of this.perDoc.values()) {
      let start = 0;
      for (let end = 0; end < times.length; end++) {
        while (times[end]! - times[start]! >= windowSeconds) start++;
        peak = Math.max(peak, end - start + 1);
      }
    }
    return peak / windowSeconds;
  }
}
