#!/usr/bin/env python3
"""Turns a JMH JSON result file (java -jar benchmarks.jar -rf json -rff FILE) into the Markdown tables
of docs/PERFORMANCE.md. Every ratio is taken against the SourceAFIS baseline of the same class,
gallery and run; "speed-up" > 1 means faster than the baseline.

usage: python3 benchmarks/summarize.py RUN.json [RUN2.json ...]
With several runs it prints each run's tables, then the speed-ups of every run side by side with
their median across runs.
"""
import json
import sys

BASELINES = {
    "IdentifyBenchmark": "sourceafisNaiveLoop",
    "IdentifyThroughputBenchmark": "sourceafisNaiveLoop",
    "ImageProbeBenchmark": "sourceafisExtractNaiveLoop",
    "ScaleIdentifyBenchmark": "sourceafisNaiveLoop",
    "ScaleThroughputBenchmark": "sourceafisNaiveLoop",
}


def samples(metric):
    if "rawDataHistogram" not in metric:  # single shot: one sample per iteration
        return sum(len(fork) for fork in metric.get("rawData", []))
    return sum(count for fork in metric.get("rawDataHistogram", []) for iteration in fork for _, count in iteration)


def load(path):
    with open(path) as f:
        results = json.load(f)
    rows = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        # the scale benchmarks name their gallery by size ("fingers"), the others by kind ("gallery")
        params = r.get("params", {})
        rows[(cls, params.get("gallery", params.get("fingers")), method)] = r
    return rows


def gallery_order(g):
    return (g != "fvc", int(g) if g.isdigit() else 0)


def typical(row):
    """Median latency (sample time) or median iteration throughput."""
    return row["primaryMetric"]["scorePercentiles"]["50.0"]


def speedup(rows, key):
    cls, gallery, method = key
    base = rows.get((cls, gallery, BASELINES[cls]))
    if base is None or key not in rows:
        return None
    if rows[key]["mode"] == "thrpt":
        return typical(rows[key]) / typical(base)
    return typical(base) / typical(rows[key])


def across(paths, runs):
    keys = sorted({k for rows in runs for k in rows},
                  key=lambda k: (gallery_order(k[1]), k[0], k[2] != BASELINES[k[0]], k[2]))
    names = [p.rsplit("/", 1)[-1] for p in paths]
    print("\n### Speed-up vs the baseline, per run and median across runs (medians of each run)\n")
    print("| gallery | benchmark | method | " + " | ".join(f"{n}: median" for n in names) + " | "
          + " | ".join(f"{n}: speed-up" for n in names) + " | median speed-up |")
    print("|---|---|---|" + "---:|" * (2 * len(runs) + 1))
    for key in keys:
        cls, gallery, method = key
        values = [rows.get(key) for rows in runs]
        unit = next(v["primaryMetric"]["scoreUnit"] for v in values if v)
        medians = [f"{typical(v):.2f} {unit}" if v else "-" for v in values]
        ups = [speedup(rows, key) for rows in runs]
        present = sorted(u for u in ups if u is not None)
        med = present[len(present) // 2] if len(present) % 2 else (present[len(present) // 2 - 1] + present[len(present) // 2]) / 2
        print(f"| {gallery} | {cls.replace('Benchmark', '')} | {method} | " + " | ".join(medians) + " | "
              + " | ".join(f"{u:.2f}x" if u is not None else "-" for u in ups) + f" | {med:.2f}x |")


def main(paths):
    runs = [load(p) for p in paths]
    for path, rows in zip(paths, runs):
        if len(paths) > 1:
            print(f"\n## {path}")
        tables(rows)
    if len(paths) > 1:
        across(paths, runs)


def tables(rows):
    galleries = sorted({k[1] for k in rows}, key=gallery_order)
    for gallery in galleries:
        print(f"\n### Gallery `{gallery}`\n")
        for cls in ["IdentifyBenchmark", "ImageProbeBenchmark", "ScaleIdentifyBenchmark"]:
            base = rows.get((cls, gallery, BASELINES[cls]))
            methods = [k[2] for k in rows if k[0] == cls and k[1] == gallery]
            if not base or not methods:
                continue
            bm = base["primaryMetric"]
            mode = "single shot" if base["mode"] == "ss" else "sample time"
            print(f"{cls} (latency, 1 caller thread, {mode}, {bm['scoreUnit']})\n")
            print("| method | samples | mean | median | p90 | p99 | max | speed-up vs baseline (median) | (mean) |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for method in sorted(methods, key=lambda m: (m != BASELINES[cls], m)):
                m = rows[(cls, gallery, method)]["primaryMetric"]
                p = m["scorePercentiles"]
                print(f"| {method} | {samples(m)} | {m['score']:.2f} | {p['50.0']:.2f} | {p['90.0']:.2f} | {p['99.0']:.2f} | "
                      f"{p['100.0']:.2f} | {bm['scorePercentiles']['50.0'] / p['50.0']:.2f}x | {bm['score'] / m['score']:.2f}x |")
            print()
        for cls in ["IdentifyThroughputBenchmark", "ScaleThroughputBenchmark"]:
            throughput(rows, cls, gallery)


def throughput(rows, cls, gallery):
        base = rows.get((cls, gallery, BASELINES[cls]))
        methods = [k[2] for k in rows if k[0] == cls and k[1] == gallery]
        if base and methods:
            b = base["primaryMetric"]
            print(f"{cls} ({base['threads']} caller threads, {b['scoreUnit']}; median and range over the measurement iterations)\n")
            print("| method | mean | median | min | max | speed-up vs baseline (median) | (mean) |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for method in sorted(methods, key=lambda m: (m != BASELINES[cls], m)):
                m = rows[(cls, gallery, method)]["primaryMetric"]
                p = m["scorePercentiles"]
                print(f"| {method} | {m['score']:.2f} | {p['50.0']:.2f} | {p['0.0']:.2f} | {p['100.0']:.2f} | "
                      f"{p['50.0'] / b['scorePercentiles']['50.0']:.2f}x | {m['score'] / b['score']:.2f}x |")
            print()


if __name__ == "__main__":
    main(sys.argv[1:] or ["/tmp/jmh.json"])
