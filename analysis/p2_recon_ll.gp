# (vi) Reconstruction log-likelihood E_q log p(x|z): training mini-batch after every update,
# held-out images every valid_every updates, and the held-out range over the seeds of the report
# (p2_titles.gp: the words and the tick step of the configuration run).
load "analysis/common.gp"
load gen."/p2_titles.gp"
set terminal pdfcairo size 6in,2.45in font "DejaVu Sans,9" linewidth 1.5 noenhanced
set output out
set xlabel "weight updates"
set ylabel "E_q log p(x|z)  [nats / image]"
set key bottom right
set yrange [-70:*]
set xtics update_step
plot results."/p2/train.csv" every ::1 using 1:2 with lines lc rgb "#9ecae1" lw 0.5 title "training mini-batch (every update)", \
     gen."/p2_valid_band.csv" every ::1 using 1:2:3 with filledcurves fc rgb "#fcbba1" fs solid 1.0 noborder title band_title, \
     results."/p2/valid.csv" every ::1 using 1:2 with linespoints lc rgb "#d62728" pt 7 ps 0.3 lw 1.2 title valid_title
