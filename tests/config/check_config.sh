#!/usr/bin/env bash
# make check-config: the report follows a changed configuration (issue: a course team changes the
# homework), checked end to end in a copy of the tree ($1, with the MNIST files in place):
#   1. make report LATENT=4, make report, make report LATENT=4 train two configurations, not
#      three, and each PDF describes its own (read back from the PDF's text);
#   2. make report SEED=7 puts seed 7 where seed 546 was;
#   3. Ctrl-C during a training, then make report: the run resumes (its summary says where) and
#      ends with the bytes of an uninterrupted run;
#   4. a second make study and a second make report change no mtime under results/ and report/.
# Short trainings (UPDATES=2000) keep the first three to a few minutes (the logic is the same at
# 10,000); the study is the full one (65 runs, about 5 minutes on 2 cores).
set -uo pipefail
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=$(grep -q avx2 /proc/cpuinfo && echo Haswell || echo Nehalem)  # as the Makefile pins them
cd "$1"
BASE="UPDATES=2000"
fail() { echo "check-config: FAILED: $*"; exit 1; }
trainings() { grep -c "^vae_train: [0-9]* updates in" "$1"; }
pdf() { pdftotext report/hw5.pdf - | tr -s ' \n' ' '; }

make --no-print-directory report $BASE LATENT=4 >log1 2>&1 || { tail -20 log1; fail "make report LATENT=4"; }
pdf | grep -q "LATENT 4 (the homework’s: 8)" || fail "the LATENT=4 report does not say LATENT 4 on its title page"
pdf | grep -q "0.1 nats, the level below which a coordinate" || fail "the LATENT=4 report lost its discussion"
make --no-print-directory report $BASE >log2 2>&1 || { tail -20 log2; fail "make report"; }
pdf | grep -q "LATENT 4" && fail "the homework's-latent report still says LATENT 4"
make --no-print-directory report $BASE LATENT=4 >log3 2>&1 || { tail -20 log3; fail "make report LATENT=4 (again)"; }
pdf | grep -q "LATENT 4 (the homework’s: 8)" || fail "the second LATENT=4 report does not say LATENT 4"
n1=$(trainings log1) n2=$(trainings log2) n3=$(trainings log3)
echo "check-config: trainings: LATENT=4: $n1, back: $n2, LATENT=4 again: $n3"
[ "$n1" = 5 ] && [ "$n2" = 5 ] && [ "$n3" = 0 ] || fail "expected 5, 5 and 0 trainings"
tail -n1 log3 | grep -q "configuration UPDATES=2000 LATENT=4, not the homework's" || fail "make report's last line does not name the configuration"

make --no-print-directory report $BASE SEED=7 >log4 2>&1 || { tail -20 log4; fail "make report SEED=7"; }
pdf | grep -q "shows (seed 7)" || fail "the SEED=7 report does not show seed 7's run"
pdf | grep -q "with seed 7 and with the seeds 547, 548, 549, 550" || fail "the SEED=7 appendix does not name its seeds"
[ "$(trainings log4)" = 1 ] || fail "SEED=7 retrained more than its own run"

# Ctrl-C in the middle of a training (SIGINT to the whole make, as a terminal sends it).
setsid make --no-print-directory report $BASE BATCH=50 >log5 2>&1 &
pid=$!
config=results/runs/batch-50_updates-2000
run=
for _ in $(seq 3000); do
  run=$(dirname "$(ls $config/seed-*/checkpoint.bin $config/seeds/seed-*/checkpoint.bin 2>/dev/null | head -1)")
  [ "$run" != . ] && break; sleep 0.1
done
[ -n "$run" ] && [ "$run" != . ] || fail "no checkpoint appeared under $config"
kill -INT -- -$pid; wait $pid
[ -f $run/summary.json ] && fail "the interrupted run $run finished anyway"
make --no-print-directory report $BASE BATCH=50 >log6 2>&1 || { tail -20 log6; fail "make report after Ctrl-C"; }
at=$(grep -o '"resumed_at": [0-9]*' $run/summary.json | grep -o '[0-9]*$')
echo "check-config: the interrupted run ($run) resumed at update $at"
[ "$at" -gt 0 ] || fail "the run did not resume (resumed_at $at)"
seed=${run##*seed-}
train_eval=$([ "$run" = "$config/seed-546" ] && echo all || echo 0)
build/vae_train --data-dir data/mnist --out whole --seed $seed --train-eval $train_eval --per-digit 1000 --heldout 1000 --valid-size 100 --batch 50 \
  --samples 2 --updates 2000 --optim adam --lr 1e-3 --enc-hidden 128 --dec-hidden 128 --latent 8 --iwae-k 1000 --threads 1 --quiet \
  >/dev/null || fail "the uninterrupted run"
for f in train.csv valid.csv model.bin model.safetensors reconstructions.csv samples.csv latent_grid.csv iwae_k.csv latent_kl.csv; do
  cmp -s whole/$f $run/$f || fail "$f of the resumed run differs from an uninterrupted run's"
done
echo "check-config: the resumed run's 9 files equal an uninterrupted run's"

make --no-print-directory study >log7 2>&1 || { tail -20 log7; fail "make study"; }
make --no-print-directory report $BASE >log8 2>&1 || fail "make report"
touch marker; sleep 1.1
make --no-print-directory study >log9 2>&1 || fail "make study (again)"
make --no-print-directory report $BASE >log10 2>&1 || fail "make report (again)"
changed=$(find results report -newer marker | head)
[ -z "$changed" ] || fail "a second make study and make report changed: $changed"
echo "check-config: a second make study and make report touched nothing under results/ and report/"
echo "check-config: passed"
