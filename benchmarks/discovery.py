"""Discovery benchmark: ``coding.discover_themes`` on N synthetic answers, time and peak memory.

    python -m benchmarks.discovery [--answers 100000] [--sizes 10000,100000] [--model wordllama]

The answers come from the coder benchmark's generator (``benchmarks.generate``,
the default consultation and codebook), joined per respondent as ingest holds
them. Each size runs in a fresh subprocess, so its peak RSS (``VmHWM``) is its
own (``cpu s``: CPU time of every thread, which on a shared machine shows what
the wall clock would be with the cores to itself): a flat memory column across sizes shows discovery holds a bounded sample
of vectors and assigns the rest in chunks. Generation is not timed; the
embedding model's loading is. ``--model``: ``minilm`` (``helpers.core.embedding``,
numpy all-MiniLM-L6-v2) or ``wordllama`` (the wordllama wheel's own weights,
loaded offline). Target (issue 14): 100,000 answers in under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from itertools import islice

from .generate import default_paths, iter_answers
from .run import _frames, _peak_rss_mb


def wordllama_encoder():
    """``encode(texts) -> unit vectors`` from the wordllama wheel, never downloading."""
    from pathlib import Path

    import numpy as np
    import wordllama
    from wordllama import WordLlama

    model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def encode(texts):
        v = np.asarray(model.embed(list(texts), norm=True, batch_size=512), dtype=np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)

    return encode


def child(n: int, model: str, seed: int) -> dict:
    from helpers import coding
    from helpers.core.consultation import load_consultation

    cons_path, cb_path = default_paths()
    consultation = load_consultation(cons_path)
    codebook = coding.load_codebook(cb_path, consultation)
    rows = list(islice(iter_answers(consultation, codebook, seed, 10**12), n))
    answers, respondents = _frames(rows)
    answers["substantive"] = True
    del rows
    t0, c0 = time.perf_counter(), time.process_time()
    if model == "wordllama":
        encode = wordllama_encoder()
    else:
        from helpers.core.embedding import encode
    result = coding.discover_themes(answers, respondents, consultation, encode=encode, seed=seed)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    drafted = int((result.themes["label"] != "Other").sum())
    return {"answers": n, "model": model, "seconds": round(seconds, 1), "cpu_s": round(cpu, 1),
            "answers_per_s": round(n / seconds), "themes": drafted,
            "peak_rss_mb": round(_peak_rss_mb(), 1)}  # fmt: skip


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.discovery")
    p.add_argument("--sizes", default="10000,100000", help="answer counts, one subprocess each")
    p.add_argument("--model", choices=("wordllama", "minilm"), default="wordllama")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.model, args.seed)))
        return 0
    print(
        f"{'answers':>8} {'model':>9} {'seconds':>8} {'cpu s':>7} {'answers/s':>9} {'themes':>6} {'peak MB':>8}"
    )
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.discovery", "--child", str(n),
             "--model", args.model, "--seed", str(args.seed)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['answers']:>8} {r['model']:>9} {r['seconds']:>8} {r['cpu_s']:>7} {r['answers_per_s']:>9} "
              f"{r['themes']:>6} {r['peak_rss_mb']:>8}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
