# (iii) The two terms of the ELBO (5) on the training mini-batch after every weight update:
# raw values faint, a 100-update moving average on top.
load "analysis/common.gp"
load gen."/p2_titles.gp"
set terminal pdfcairo size 6.4in,2.5in font "DejaVu Sans,9" linewidth 1.5 noenhanced
set output out
set multiplot layout 1,2
set xlabel "weight updates"
set ylabel "nats / image"
set title "E_q log p(x|z)  (first term)"
set key bottom right
set yrange [-80:*]
set xtics update_step
set mxtics 5
plot results."/p2/train.csv" every ::1 using 1:2 with lines lc rgb "#9ecae1" lw 0.5 title "per update", \
     gen."/p2_train_smooth.csv" every ::1 using 1:2 with lines lc rgb "#08519c" lw 1.5 title "moving avg (100)"
set title "KL(q(z|x) || N(0,I))  (second term)"
set key top right
set yrange [0:*]
plot results."/p2/train.csv" every ::1 using 1:3 with lines lc rgb "#fdae6b" lw 0.5 title "per update", \
     gen."/p2_train_smooth.csv" every ::1 using 1:3 with lines lc rgb "#a63603" lw 1.5 title "moving avg (100)"
unset multiplot
