#!/usr/bin/env python3
"""Summarizes JMH JSON results of the micro benchmarks (ComparisonBenchmark, MatcherConstructionBenchmark,
TemplateBenchmark, EnrollBenchmark, FrameCodecBenchmark) as the Markdown table of docs/PERFORMANCE.md:
per method and parameters, the median over measurement iterations (sample-time benchmarks: the
median sample) of each run, and its time relative to the baseline of the same class, parameters and
run (the SourceAFIS call, or bare protobuf for the codec); "x baseline" < 1 is faster.

usage: python3 benchmarks/summarize_micro.py RUN1.json [RUN2.json ...]   (one or more files per run, joined by commas)
"""
import json
import statistics
import sys

# method -> the method it is compared with
BASELINE = {
    "engineScoreFusion": "sourceafisMatch",
    "engineProbe": "sourceafisMatcher",
    "engineTemplateIntake": "sourceafisDeserialize",
    "engineEnroll": "sourceafisTemplateBytes",
    "decodeFrameThroughPipeline": "protobufParseRequest",
    "encodeFrameThroughPipeline": "protobufSerializeResponse",
}


def typical(result):
    metric = result["primaryMetric"]
    if result["mode"] == "sample":
        return metric["scorePercentiles"]["50.0"]
    return statistics.median(v for fork in metric["rawData"] for v in fork)


def load(paths):
    rows = {}
    for path in paths.split(","):
        with open(path) as f:
            for r in json.load(f):
                cls, method = r["benchmark"].rsplit(".", 2)[-2:]
                params = ",".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
                rows[(cls, params, method)] = (typical(r), r["primaryMetric"]["scoreUnit"])
    return rows


def main(runs):
    loaded = [load(r) for r in runs]
    keys = sorted({k for run in loaded for k in run})
    head = "| benchmark | params | method | " + " | ".join(f"run {i + 1}" for i in range(len(runs)))
    head += " | " + " | ".join(f"run {i + 1}: x baseline" for i in range(len(runs))) + " | median x baseline |"
    print(head)
    print("|" + "---|" * (3 + 2 * len(runs) + 1))
    for cls, params, method in keys:
        values, ratios = [], []
        for run in loaded:
            v = run.get((cls, params, method))
            values.append(f"{v[0]:.2f} {v[1]}" if v else "")
            base = run.get((cls, params, BASELINE.get(method, method)))
            ratios.append(v[0] / base[0] if v and base and method in BASELINE else None)
        shown = [f"{r:.2f}x" if r is not None else "" for r in ratios]
        known = [r for r in ratios if r is not None]
        median = f"{statistics.median(known):.2f}x" if known else ""
        print(f"| {cls} | {params} | {method} | " + " | ".join(values) + " | " + " | ".join(shown) + f" | {median} |")


if __name__ == "__main__":
    main(sys.argv[1:])
