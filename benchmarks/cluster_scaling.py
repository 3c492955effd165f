#!/usr/bin/env python3
"""Cluster scaling and the coordination cost of an IDENTIFY (issue #14; docs/PERFORMANCE.md, "Cluster scaling").

Runs unattended on one 2-core machine, with the jar built (mvn -q package -DskipTests), and prints a table:

  1. coordination cost: one IDENTIFY at a time (afis load --concurrency 1) against a small gallery
     (--small fingers, search ~ms) on a single node, a 1-member cluster and a 2-member cluster; the latency
     difference to the single node is the cluster's scatter + gather + merge (and its extra hops);
  2. scaling: throughput at saturation (closed loop, --concurrency in flight) of
       - a single node pinned to core 0, N fingers (bulk-loaded),
       - a 1-member cluster pinned to core 0, N fingers (enrolled over TCP),
       - a 2-member cluster, members pinned to cores 0 and 1, 2N fingers (the first N loaded back from
         PostgreSQL at the whole cluster's start, the second N enrolled over TCP),
     in searches/s and gallery fingers compared/s, with each process's CPU over the measured window.

Pinning: member 1 (and the single node) on core 0, member 2 on core 1; PostgreSQL, the load generator and
the enrolling client on core 1 (--aux-cores), so in the 1-member runs they have a core of their own and in the
2-member run they share member 2's: the 2-member figure is charged for them (conservative for the ratio).

usage: python3 benchmarks/cluster_scaling.py [--fingers N] [--duration 60s] ...   (--help for all)
Every process it starts is stopped at the end (also on Ctrl-C); its logs stay in --work.
"""
import argparse
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AFIS = os.path.join(HOME, "bin", "afis")
PARTITIONS = 271  # Hazelcast's partition count (docs/CLUSTER.md)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(time.strftime("%H:%M:%S ") + message, file=sys.stderr, flush=True)


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class Process:
    """One started process (java via bin/afis, which execs java, so the pid is the JVM's), pinned with taskset."""

    def __init__(self, name, cores, args, work):
        self.name = name
        self.log_path = os.path.join(work, name + ".log")
        self.log_file = open(self.log_path, "ab")
        self.popen = subprocess.Popen(["taskset", "-c", cores, AFIS] + args, stdout=self.log_file, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True, cwd=HOME)

    def wait_for_line(self, text, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path, "rb") as f:
                if text.encode() in f.read():
                    return
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}) before '{text}'; see {self.log_path}")
            time.sleep(0.2)
        raise RuntimeError(f"{self.name}: no '{text}' within {timeout} s; see {self.log_path}")

    def cpu_seconds(self):
        return process_cpu(self.popen.pid)

    def stop(self, timeout=60):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"{self.name} did not stop within {timeout} s: killed")
                self.popen.kill()
                self.popen.wait()
        self.log_file.close()


def process_cpu(pid):
    """User + system CPU seconds of one process, all its threads."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def postgres_cpu(data):
    """CPU seconds of the PostgreSQL server on DATA: the postmaster (first line of postmaster.pid) and its children."""
    try:
        with open(os.path.join(data, "postmaster.pid")) as f:
            postmaster = int(f.readline())
    except (FileNotFoundError, ValueError):
        return 0.0
    total = process_cpu(postmaster)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            except (FileNotFoundError, ProcessLookupError):
                pass
    return total


def core_busy():
    """Per core: (busy, total) jiffies from /proc/stat, to tell how busy cores 0 and 1 were over a window."""
    cores = {}
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu") and line[3].isdigit():
                name, *values = line.split()
                values = [int(v) for v in values]
                idle = values[3] + values[4]
                cores[name] = (sum(values) - idle, sum(values))
    return cores


def psql():
    """A psql client for the sizes in PostgreSQL, if one is installed (the embedded server has none of its own)."""
    return shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))), None)


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, None


class Harness:
    def __init__(self, options):
        self.o = options
        self.work = options.work or tempfile.mkdtemp(prefix="afis-cluster-scaling-")
        os.makedirs(self.work, exist_ok=True)
        self.running = []
        self.rows = []
        self.facts = []
        self.memory_rows = []

    # ---- processes ------------------------------------------------------------------------------------

    def start(self, name, cores, args):
        process = Process(name, cores, args, self.work)
        self.running.append(process)
        return process

    def stop(self, *processes):
        for process in processes:
            process.stop()
            self.running.remove(process)

    def stop_all(self):
        for process in reversed(list(self.running)):
            process.stop()
        self.running.clear()

    def postgres(self, name):
        data = os.path.join(self.work, name)
        process = self.start(name, self.o.aux_cores, ["postgres", "--data", data, "--port", str(self.o.pg_port)])
        process.wait_for_line("--db-url", 180)
        process.data = data
        return process

    def db_args(self):
        return ["--db-url", f"jdbc:postgresql://127.0.0.1:{self.o.pg_port}/postgres", "--db-user", "postgres"]

    def serve_args(self, data, port, http_port):
        # exact search, named: the figures are fingers compared per second of exhaustive search (the server's
        # default is indexed since issue #13)
        return ["serve", "--no-auth", "--data", os.path.join(self.work, data), "--port", str(port), "--http-port", str(http_port),
                "--search", "exact", "--request-timeout", self.o.request_timeout] + self.db_args()

    def single_node(self, name, data):
        process = self.start(name, self.o.member_cores[0], self.serve_args(data, self.o.port, self.o.http_port))
        process.wait_for_line("afis listening on", 600)
        process.port = self.o.port
        return process

    def members(self, prefix, count):
        """Starts COUNT members at once (a whole cluster: each waits for the quorum), then waits until all are ready."""
        addresses = ",".join(f"127.0.0.1:{self.o.cluster_port + i}" for i in range(count))
        started = time.time()
        members = []
        for i in range(count):
            process = self.start(f"{prefix}-member{i + 1}", self.o.member_cores[i],
                                 self.serve_args(f"member{i + 1}", self.o.port + i, self.o.http_port + i)
                                 + ["--cluster-port", str(self.o.cluster_port + i), "--cluster-members", addresses])
            process.port = self.o.port + i
            process.http = self.o.http_port + i
            members.append(process)
        try:
            for process in members:
                process.wait_for_line("afis listening on", 900)
            self.wait_ready(members, count)
        except RuntimeError:
            self.stop(*members)
            raise
        seconds = time.time() - started
        log(f"{count} member(s) ready in {seconds:.1f} s")
        return members, seconds

    def wait_ready(self, members, count, timeout=1800):
        """Until every member sees COUNT members owning all partitions between them, each loaded, no migration left."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, body = http_get(f"http://127.0.0.1:{members[0].http}/cluster/status")
            if status == 200:
                s = json.loads(body)
                seen = s["members"]
                if (len(seen) == count and s["clusterSafe"] and s["migrationsRemaining"] == 0
                        and sum(m["owned"] for m in seen) == PARTITIONS and all(m["ready"] == m["owned"] for m in seen)):
                    if all(http_get(f"http://127.0.0.1:{m.http}/health/ready")[0] == 200 for m in members):
                        return
            time.sleep(1)
        raise RuntimeError(f"the cluster was not ready within {timeout} s: {body}")

    def memory(self, label, process, fingers, data):
        """Heap used after a full GC (jcmd) and resident memory of a server JVM, recorded with its gallery size."""
        try:
            subprocess.run(["taskset", "-c", self.o.aux_cores, "jcmd", str(process.popen.pid), "GC.run"], capture_output=True,
                           timeout=300, check=True)
            info = subprocess.run(["taskset", "-c", self.o.aux_cores, "jcmd", str(process.popen.pid), "GC.heap_info"],
                                  capture_output=True, text=True, timeout=300, check=True).stdout
            # G1: "garbage-first heap total ..K, used ..K"; Serial (what a JVM pinned to one core picks): new + tenured generations
            used = re.findall(r"(?:heap|generation)\s+total \d+K, used (\d+)K", info)
            heap = sum(int(u) for u in used) * 1024 if used else None
        except (subprocess.SubprocessError, AttributeError, FileNotFoundError) as e:
            log(f"no heap figure for {label}: {e}")
            heap = None
        with open(f"/proc/{process.popen.pid}/status") as f:
            rss = int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) * 1024
        # blocks in use, not apparent sizes: the gallery files are sparse (sized for their capacity up front)
        disk = int(subprocess.run(["du", "-s", "--block-size=1", os.path.join(self.work, data)], capture_output=True,
                                  text=True).stdout.split()[0])
        self.memory_rows.append({"label": label, "fingers": fingers, "heap_bytes": heap, "rss_bytes": rss, "data_folder_bytes": disk})

    def postgres_size(self, label):
        """Rows and bytes of subject_template (table, TOAST and index) and of the whole database."""
        client = psql()
        if not client:
            return
        out = subprocess.run([client, "-h", "127.0.0.1", "-p", str(self.o.pg_port), "-U", "postgres", "-d", "postgres", "-Atc",
                              "select count(*), coalesce(avg(octet_length(templates)), 0), pg_total_relation_size('subject_template'),"
                              " pg_database_size('postgres') from subject_template"],
                             capture_output=True, text=True, timeout=120)
        if out.returncode == 0:
            rows, value, table, database = out.stdout.strip().split("|")
            self.facts.append(f"PostgreSQL {label}: subject_template {int(rows):,} rows, templates {float(value):,.0f} B a row on average,"
                              f" table + TOAST + index {int(table):,} B ({int(table) / max(1, int(rows)):,.0f} B a row);"
                              f" whole database {int(database):,} B")

    # ---- client tools -----------------------------------------------------------------------------------

    def afis(self, args, timeout=7200):
        """A client command on the auxiliary cores; returns its standard output."""
        result = subprocess.run(["taskset", "-c", self.o.aux_cores, AFIS] + args, cwd=HOME, capture_output=True, text=True,
                                timeout=timeout)
        with open(os.path.join(self.work, "clients.log"), "a") as f:
            f.write("$ afis " + " ".join(args) + "\n" + result.stdout + result.stderr + "\n")
        if result.returncode != 0:
            raise RuntimeError(f"afis {args[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
        return result.stdout

    def synth(self, name, subjects, seed, probes):
        path = os.path.join(self.work, name + ".afsyn")
        if not os.path.exists(path):
            self.afis(["synth", "--subjects", str(subjects), "--probes", str(probes), "--seed", str(seed), "--out", path])
        return path

    def enroll_tcp(self, gallery, port, fingers):
        started = time.time()
        out = self.afis(["synth-load", gallery, "--port", str(port), "--json"])
        seconds = time.time() - started
        done = json.loads(out.strip().splitlines()[-1])
        if done["fingers"] != fingers or done.get("errors"):
            raise RuntimeError(f"synth-load enrolled {done['fingers']} of {fingers} fingers: {done}")
        log(f"enrolled {fingers} fingers over TCP in {seconds:.1f} s ({fingers / seconds:.0f}/s)")
        return fingers / seconds

    def load(self, port, probes, concurrency, duration, warmup, requests=0):
        args = ["load", "--port", str(port), "--probes", probes, "--concurrency", str(concurrency), "--warmup", warmup,
                "--duration", duration, "--requests", str(requests), "--timeout", self.o.request_timeout, "--progress", "0", "--json"]
        # the load command exits 1 when a request failed: keep its JSON and report the errors in the table
        result = subprocess.run(["taskset", "-c", self.o.aux_cores, AFIS] + args, cwd=HOME, capture_output=True, text=True)
        with open(os.path.join(self.work, "clients.log"), "a") as f:
            f.write("$ afis " + " ".join(args) + "\n" + result.stdout + result.stderr + "\n")
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise RuntimeError(f"afis load gave no result ({result.returncode}): {result.stderr[-2000:]}")
        return json.loads(lines[-1])

    # ---- measurements -----------------------------------------------------------------------------------

    def measure(self, label, servers, postgres, port, probes, gallery_fingers, concurrency, duration, warmup, requests=0):
        """One afis load run, with the CPU each process used and how busy cores 0 and 1 were over it."""
        cpu_before = [s.cpu_seconds() for s in servers]
        pg_before = postgres_cpu(postgres.data)
        cores_before = core_busy()
        load_before = load_average()
        started = time.time()
        result = self.load(port, probes, concurrency, duration, warmup, requests)
        wall = time.time() - started
        cpu = [s.cpu_seconds() - b for s, b in zip(servers, cpu_before)]
        pg = postgres_cpu(postgres.data) - pg_before
        cores_after = core_busy()
        busy = {name: (cores_after[name][0] - cores_before[name][0]) / max(1, cores_after[name][1] - cores_before[name][1])
                for name in ("cpu0", "cpu1") if name in cores_after}
        identify = result["operations"].get("identify", result["all"])
        ok = identify["ok"]
        searches = result["throughput_per_second"] * ok / max(1, identify["requests"])
        row = {
            "label": label, "gallery": gallery_fingers, "concurrency": concurrency, "requests": identify["requests"], "ok": ok,
            "errors": identify["errors"], "searches_per_s": searches, "fingers_per_s": searches * gallery_fingers,
            "p50_ms": identify["latency_ms"].get("p50"), "mean_ms": identify["latency_ms"].get("mean"),
            "p99_ms": identify["latency_ms"].get("p99"),
            # CPU over the whole load run (warm-up included), per request answered over the whole run
            "server_cpu_s": cpu,
            # steadier than wall-clock rates on a shared machine: comparisons per CPU-second of all servers together
            "fingers_per_server_cpu_s": gallery_fingers * (identify["requests"] + identify.get("warmup_requests", 0)) / max(1e-9, sum(cpu)), "postgres_cpu_s": pg, "generator_cores": result.get("generator_cpu_cores"),
            "wall_s": wall, "core_busy": busy, "load": (load_before, load_average()),
            "answered_all": identify["requests"] + identify.get("warmup_requests", 0),
        }
        self.rows.append(row)
        log(f"{label}: {searches:.2f} searches/s, p50 {row['p50_ms']} ms, errors {row['errors']}, load {load_before:.1f}")
        return row

    def run(self):
        o = self.o
        n = o.fingers
        log(f"work folder {self.work}; N = {n} fingers per member, small gallery {o.small}; load average {load_average():.1f}")
        small = self.synth("small", o.small, 3, 200)
        first = self.synth("first", n, 1, 200)
        second = self.synth("second", n, 2, 10)

        # 1. Coordination cost: one IDENTIFY at a time over a small gallery.
        lat = dict(concurrency=1, duration="0", warmup=o.latency_warmup, requests=o.latency_requests)
        pg = self.postgres("pg-small-single")
        self.afis(["synth-load", small, "--data", os.path.join(self.work, "single-small")])
        node = self.single_node("single-small", "single-small")
        self.measure("latency, single node", [node], pg, node.port, small, o.small, **lat)
        self.stop(node, pg)

        pg = self.postgres("pg-small-cluster")
        self.fresh_members()
        m1 = self.lone_member("small1")
        if not m1:
            self.fresh_members()
        if m1:
            self.enroll_tcp(small, m1.port, o.small)
            self.measure("latency, 1-member cluster", [m1], pg, m1.port, small, o.small, **lat)
            self.memory("1-member cluster, small gallery", m1, o.small, "member1")
            self.stop(m1)
        members, _ = self.members("small2", 2)
        if not m1:
            self.enroll_tcp(small, members[0].port, o.small)
        self.measure("latency, 2-member cluster", members, pg, members[0].port, small, o.small, **lat)
        self.stop(*members, pg)

        # 2. Scaling: saturation throughput.
        sat = dict(concurrency=o.concurrency, duration=o.duration, warmup=o.warmup)
        pg = self.postgres("pg-single")
        started = time.time()
        self.afis(["synth-load", first, "--data", os.path.join(self.work, "single")])
        node = self.single_node("single", "single")
        self.facts.append(f"single node: bulk load and start to listening {time.time() - started:.1f} s")
        self.measure("saturation, single node (core 0)", [node], pg, node.port, first, n, **sat)
        self.memory("single node", node, n, "single")
        self.stop(node, pg)

        pg = self.postgres("pg-cluster")
        self.fresh_members()
        m1 = self.lone_member("one")
        if not m1:
            self.fresh_members()
        if m1:
            rate = self.enroll_tcp(first, m1.port, n)
            self.facts.append(f"1-member cluster: ENROLL over TCP {rate:.0f} fingers/s (synth-load, 512 in flight)")
            self.measure("saturation, 1-member cluster (core 0)", [m1], pg, m1.port, first, n, **sat)
            self.memory("1-member cluster (no backup)", m1, n, "member1")
            self.postgres_size(f"after the 1-member run ({n:,} fingers)")
            self.stop(m1)
        members, seconds = self.members("two", 2)
        if m1:
            self.facts.append(f"2-member cluster: whole-cluster start, {n:,} fingers loaded from PostgreSQL into the engines,"
                              f" ready in {seconds:.1f} s")
        else:
            rate = self.enroll_tcp(first, members[1].port, n)
            self.facts.append(f"2-member cluster: ENROLL over TCP {rate:.0f} fingers/s (backup 1)")
        rate = self.enroll_tcp(second, members[1].port, n)
        self.facts.append(f"2-member cluster: ENROLL over TCP {rate:.0f} fingers/s (backup 1)")
        self.measure("saturation, 2-member cluster (cores 0, 1)", members, pg, members[0].port, first, 2 * n, **sat)
        for i, member in enumerate(members):
            self.memory(f"2-member cluster, member {i + 1} (its half + a backup of the other's)", member, 2 * n, f"member{i + 1}")
        self.postgres_size(f"after the 2-member run ({2 * n:,} fingers)")
        self.stop(*members, pg)

    def lone_member(self, prefix):
        """A 1-member cluster, or None if it cannot start (recorded): the 2-member runs go on without it."""
        try:
            (member,), _ = self.members(prefix, 1)
            return member
        except RuntimeError as e:
            self.facts.append(f"1-member cluster did not start: {e}; its rows are missing")
            log(f"1-member cluster did not start: {e}")
            return None

    def fresh_members(self):
        """Fresh member data folders for a new cluster (its PostgreSQL is fresh too)."""
        for i in (1, 2):
            shutil.rmtree(os.path.join(self.work, f"member{i}"), ignore_errors=True)

    # ---- the table ----------------------------------------------------------------------------------------

    def report(self):
        o = self.o
        print()
        print(f"Cluster scaling, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; N = {o.fingers} fingers per member;"
              f" servers on cores {','.join(o.member_cores)}, PostgreSQL + clients on {o.aux_cores}; work folder {self.work}")
        print()
        print("| run | gallery fingers | in flight | identify answered (errors) | searches/s | fingers compared/s"
              " | p50 / mean / p99 ms | server CPU-s per search | fingers compared per server CPU-s | PostgreSQL CPU-s"
              " | core 0 / core 1 busy | load average |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in self.rows:
            per_search = " + ".join(f"{c / max(1, r['answered_all']):.3f}" for c in r["server_cpu_s"])
            errors = f" ({r['errors']})" if r["errors"] else ""
            print(f"| {r['label']} | {r['gallery']:,} | {r['concurrency']} | {r['ok']:,}{errors} | {r['searches_per_s']:.2f}"
                  f" | {r['fingers_per_s']:,.0f} | {r['p50_ms']:.2f} / {r['mean_ms']:.2f} / {r['p99_ms']:.2f}"
                  f" | {per_search} | {r['fingers_per_server_cpu_s']:,.0f} | {r['postgres_cpu_s']:.1f} | {r['core_busy'].get('cpu0', 0):.0%} / {r['core_busy'].get('cpu1', 0):.0%}"
                  f" | {r['load'][0]:.1f} → {r['load'][1]:.1f} |")
        print()
        by = {r["label"]: r for r in self.rows}
        single = by.get("latency, single node")
        for label in ("latency, 1-member cluster", "latency, 2-member cluster"):
            if single and label in by:
                r = by[label]
                print(f"coordination cost ({label.split(', ')[1]} − single node, one IDENTIFY at a time, {o.small} fingers):"
                      f" p50 {r['p50_ms'] - single['p50_ms']:+.2f} ms, mean {r['mean_ms'] - single['mean_ms']:+.2f} ms")
        one = by.get("saturation, 1-member cluster (core 0)")
        two = by.get("saturation, 2-member cluster (cores 0, 1)")
        node = by.get("saturation, single node (core 0)")
        if one and two:
            print(f"scaling: 2 members / 1 member, fingers compared per second: {two['fingers_per_s'] / one['fingers_per_s']:.2f}×"
                  f" (target ≥ 1.8×); searches/s: {two['searches_per_s'] / one['searches_per_s']:.2f}×")
        if one and two:
            print(f"scaling from CPU (what two dedicated cores would give): 2 × fingers compared per server CPU-s, 2 members / 1 member:"
                  f" {2 * two['fingers_per_server_cpu_s'] / one['fingers_per_server_cpu_s']:.2f}×")
        if node and one:
            print(f"1-member cluster / single node, searches/s at N: {one['searches_per_s'] / node['searches_per_s']:.2f}×")
        if node and two:
            print(f"2-member cluster (2N) / single node (N), fingers compared per second: {two['fingers_per_s'] / node['fingers_per_s']:.2f}×")
        for fact in self.facts:
            print(fact)
        if self.memory_rows:
            print()
            print("| server | cluster gallery fingers | heap used after GC | RSS | data folder on disk |")
            print("|---|---:|---:|---:|---:|")
            for m in self.memory_rows:
                heap = "?" if m["heap_bytes"] is None else f"{m['heap_bytes'] / 1e6:,.1f} MB"
                print(f"| {m['label']} | {m['fingers']:,} | {heap} | {m['rss_bytes'] / 1e6:,.1f} MB | {m['data_folder_bytes'] / 1e6:,.1f} MB |")
        print("(server CPU-s per search: each server's CPU over the whole load run over the identifies it answered, warm-up"
              " included; members in order)")
        if o.json:
            with open(o.json, "w") as f:
                json.dump({"options": vars(o), "rows": self.rows, "memory": self.memory_rows, "facts": self.facts}, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fingers", type=int, default=20000, help="N: gallery fingers per member (default: %(default)s)")
    parser.add_argument("--small", type=int, default=200, help="gallery of the coordination-cost runs (default: %(default)s)")
    parser.add_argument("--duration", default="60s", help="measured time of each saturation run (default: %(default)s)")
    parser.add_argument("--warmup", default="15s", help="warm-up of each saturation run (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=4, help="identify requests in flight at saturation (default: %(default)s)")
    parser.add_argument("--latency-requests", type=int, default=500, help="one-at-a-time identifies per latency run (default: %(default)s)")
    parser.add_argument("--latency-warmup", default="10s", help="warm-up of each latency run (default: %(default)s)")
    parser.add_argument("--request-timeout", default="300s", help="servers' --request-timeout and the load's --timeout (default: %(default)s)")
    parser.add_argument("--member-cores", default="0,1", help="cores of member 1 (and the single node) and member 2 (default: %(default)s)")
    parser.add_argument("--aux-cores", default="1", help="cores of PostgreSQL, the load generator and synth-load (default: %(default)s)")
    parser.add_argument("--port", type=int, default=7791, help="first client port (member i: port + i) (default: %(default)s)")
    parser.add_argument("--http-port", type=int, default=9191, help="first operations port (default: %(default)s)")
    parser.add_argument("--cluster-port", type=int, default=5791, help="first cluster port (default: %(default)s)")
    parser.add_argument("--pg-port", type=int, default=55491, help="PostgreSQL port (default: %(default)s)")
    parser.add_argument("--work", help="work folder (default: a new temporary folder, kept with the logs)")
    parser.add_argument("--json", help="also write every figure to this JSON file")
    options = parser.parse_args()
    options.member_cores = options.member_cores.split(",")
    if not os.path.exists(os.path.join(HOME, "matcher-server", "target", "afis.jar")):
        sys.exit("build the jar first: mvn -q package -DskipTests")
    harness = Harness(options)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        harness.run()
    finally:
        harness.stop_all()
        harness.report()


if __name__ == "__main__":
    main()
