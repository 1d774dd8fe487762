#!/bin/sh
# The speed floors of issue 19, read from Google Benchmark JSON files of one `make bench` run
# (medians of its interleaved repetitions): the float training step at 1 thread against its
# own GEMMs (BM_StepGemms<float>/parts:2, the step's products at its shard shapes) in each
# build, and the speed-up of the step from the second core.
# Usage: floors.sh NAME=FILE.json ...  (e.g. AVX-512=build/bench.json AVX2=build-bench-avx2/bench.json)
# Prints one line per floor; exits 0 whether or not they hold (a measurement, not a test).
for arg in "$@"; do
  name=${arg%%=*} file=${arg#*=}
  [ -r "$file" ] || { echo "floors: no benchmark results in $file" >&2; exit 2; }
  # Each benchmark is an object whose "name" line comes before its "real_time" line.
  awk -v build="$name" '
    /^ *"name": / { n = $0; sub(/^ *"name": "/, "", n); sub(/",$/, "", n) }
    /^ *"real_time": / { t = $2; sub(/,$/, "", t)
      if (n == "BM_TrainStep<float>/threads:1/real_time_median") one = t
      if (n == "BM_TrainStep<float>/threads:2/real_time_median") two = t
      if (n == "BM_StepGemms<float>/parts:2_median") gemms = t }
    END {
      if (one == "" || gemms == "") { print "floors: " build ": the step or its GEMMs were not run" > "/dev/stderr"; exit 2 }
      r = one / gemms
      printf "floor %-8s step %.0f us / its GEMMs %.0f us = %.3fx (floor <= 1.10x: %s)\n", build, one, gemms, r, (r <= 1.10 ? "met" : "NOT met")
      if (two != "") {
        s = one / two
        printf "floor %-8s 1 thread %.0f us / 2 threads %.0f us = %.2fx speed-up (floor >= 1.7x: %s)\n", build, one, two, s, (s >= 1.7 ? "met" : "NOT met")
      }
    }' "$file" || exit 2
done
