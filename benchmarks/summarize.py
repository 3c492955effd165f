#!/usr/bin/env python3
"""Turns a JMH JSON result file (java -jar benchmarks.jar -rf json -rff FILE) into the Markdown tables
of docs/PERFORMANCE.md. Every ratio is taken against the SourceAFIS baseline of the same class,
gallery and run; "speed-up" > 1 means faster than the baseline.

usage: python3 benchmarks/summarize.py /tmp/jmh.json
"""
import json
import sys

BASELINES = {
    "IdentifyBenchmark": "sourceafisNaiveLoop",
    "IdentifyThroughputBenchmark": "sourceafisNaiveLoop",
    "ImageProbeBenchmark": "sourceafisExtractNaiveLoop",
}


def samples(metric):
    return sum(count for fork in metric.get("rawDataHistogram", []) for iteration in fork for _, count in iteration)


def main(path):
    with open(path) as f:
        results = json.load(f)
    rows = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        rows[(cls, r["params"]["gallery"], method)] = r
    galleries = sorted({k[1] for k in rows}, key=lambda g: (g != "fvc", int(g) if g.isdigit() else 0))
    for gallery in galleries:
        print(f"\n### Gallery `{gallery}`\n")
        for cls in ["IdentifyBenchmark", "ImageProbeBenchmark"]:
            base = rows.get((cls, gallery, BASELINES[cls]))
            methods = [k[2] for k in rows if k[0] == cls and k[1] == gallery]
            if not base or not methods:
                continue
            bm = base["primaryMetric"]
            print(f"{cls} (latency, 1 caller thread, sample time, {bm['scoreUnit']})\n")
            print("| method | samples | mean | median | p90 | p99 | max | speed-up vs baseline (median) | (mean) |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for method in sorted(methods, key=lambda m: (m != BASELINES[cls], m)):
                m = rows[(cls, gallery, method)]["primaryMetric"]
                p = m["scorePercentiles"]
                print(f"| {method} | {samples(m)} | {m['score']:.2f} | {p['50.0']:.2f} | {p['90.0']:.2f} | {p['99.0']:.2f} | "
                      f"{p['100.0']:.2f} | {bm['scorePercentiles']['50.0'] / p['50.0']:.2f}x | {bm['score'] / m['score']:.2f}x |")
            print()
        cls = "IdentifyThroughputBenchmark"
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
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/jmh.json")
