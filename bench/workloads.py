"""The sites the benchmarks run on, in two shapes.

- `template`: each pool extends a shared template (resources, a
  toleration, a node selector, a launcher setting) and sets replicas,
  labels, credentials and a launcher setting of its own: about 200 bytes
  of source per pool.
- `full`: each pool spelled out in full, as `poolc import` writes it: the
  `statefulset-full` conformance case (StatefulSet, storage claim, volumes,
  mounts, service account, inline credentials...) imported and repeated
  under new names: about 1.5 KB of source per pool, 15 MB at 10,000.
"""
import os
import re
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POOLC = os.environ.get("POOLC", os.path.join(REPO, "target", "release", "poolc"))
WORKLOADS = ("template", "full")

TEMPLATE = '''let registry = "registry.example.com/mirror"

template "base" {
  launcher {
    image = "${registry}/spacelift/launcher:latest"
    resources {
      requests = { cpu = 500m, memory = 512Mi }
      limits   = { memory = 1Gi }
    }
    run_timeout = 2h
  }
  dind {
    resources { requests = { cpu = 1, memory = 2Gi } }
  }
  node_selector = { "node.example.com/pool" = "ci" }
  tolerations   = [{ key = "dedicated", operator = "Equal", value = "ci", effect = "NoSchedule" }]
}
'''

POOL = '''
pool "pool-{i}" extends "base" {{
  replicas = {replicas}
  labels   = {{ team = "team-{team}" }}
  credentials external "pool-{i}-credentials"
  launcher {{ debug = {debug} }}
}}
'''

FULL_CASE = os.path.join(REPO, "tests", "conformance", "cases", "statefulset-full")
_imported = None


def imported_pool():
    """The statefulset-full case as `poolc import` writes it (release `prod`)."""
    global _imported
    if _imported is None:
        result = subprocess.run(
            [POOLC, "import", "values.yaml", "--name", "prod", "--inline-secrets"],
            cwd=FULL_CASE, check=True, capture_output=True, text=True)
        _imported = result.stdout
        if 'pool "prod" {' not in _imported:
            raise SystemExit(f"unexpected import output:\n{_imported}")
    return _imported


def site(pools, workload="template"):
    """The text of a site of `pools` pools, in one file."""
    if workload == "template":
        parts = [TEMPLATE]
        for i in range(pools):
            parts.append(POOL.format(i=i, replicas=1 + i % 5, team=i % 17,
                                     debug="true" if i % 2 else "false"))
        return "".join(parts)
    if workload == "full":
        pool = imported_pool()
        parts = []
        for i in range(pools):
            text = pool.replace('pool "prod" {', f'pool "pool-{i}" {{', 1)
            parts.append(re.sub(r"replicas(\s+)= 4", lambda m: f"replicas{m.group(1)}= {1 + i % 5}", text, count=1))
            parts.append("\n")
        return "".join(parts)
    raise SystemExit(f"unknown workload {workload}: one of {', '.join(WORKLOADS)}")


def with_replicas(text, pool, replicas):
    """The site with one pool's replicas changed (either workload)."""
    pattern = re.compile(rf'(pool "pool-{pool}" [^\n]*\{{\n(?:[^\n]*\n)*?\s*replicas\s*= )\d+')
    changed, count = pattern.subn(lambda m: f"{m.group(1)}{replicas}", text, count=1)
    if count != 1:
        raise SystemExit(f"pool-{pool} has no replicas line")
    return changed
