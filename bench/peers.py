#!/usr/bin/env python3
"""What each validator really processed: the helpers bench/validate.sh uses so that no ratio is
printed for a partial run.

  peers.py redocly-readable REDOCLY FILE...   the files Redocly lints to the end (it stops at the
                                              first file it cannot parse: that file is left out
                                              and the rest tried again), one per line; the left
                                              out ones on stderr
  peers.py redocly-count REDOCLY FILE...      how many files one Redocly run validated
  peers.py spectral-count SPECTRAL RULESET FILE...
                                              how many files one Spectral run linted (its verbose
                                              "Linting" lines, counted only when its JSON report
                                              is complete)
"""
import json
import os
import subprocess
import sys


def redocly_validated(redocly, files):
    out = subprocess.run([redocly, "lint", "--format=stylish", *files],
                         capture_output=True, text=True)
    text = out.stdout + out.stderr
    # Redocly prints paths its own way (relative to the working directory): compare real paths.
    done = [os.path.realpath(line.rsplit(": validated in", 1)[0]) for line in text.splitlines()
            if ": validated in " in line]
    return done


def spectral_linted(spectral, ruleset, files):
    out = subprocess.run([spectral, "lint", "--ruleset", ruleset, "--verbose", "--format", "json",
                          *files], capture_output=True, text=True)
    started = sum(1 for line in (out.stdout + out.stderr).splitlines() if line.startswith("Linting "))
    body = out.stdout[out.stdout.find("["):] if "[" in out.stdout else ""
    try:
        json.loads(body)
    except ValueError:
        return 0
    return started


def main():
    cmd = sys.argv[1]
    if cmd == "redocly-count":
        print(len(redocly_validated(sys.argv[2], sys.argv[3:])))
    elif cmd == "spectral-count":
        print(spectral_linted(sys.argv[2], sys.argv[3], sys.argv[4:]))
    elif cmd == "redocly-readable":
        redocly, files = sys.argv[2], list(sys.argv[3:])
        while True:
            done = set(redocly_validated(redocly, files))
            left = [f for f in files if os.path.realpath(f) not in done]
            if not left:
                break
            # Files are linted in the order given: the first not validated stopped the run.
            print(f"redocly cannot read: {left[0]}", file=sys.stderr)
            files.remove(left[0])
        print("\n".join(files))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
