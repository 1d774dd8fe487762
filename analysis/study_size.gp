# Study (Kingma & Welling's Fig. 3): the held-out ELBO against training images seen for three
# training-set sizes, mean over the seeds; the table beside it has the training-set numbers.
load "analysis/common.gp"
set terminal pdfcairo size 3.2in,2.4in font "DejaVu Sans,9" linewidth 1.5 enhanced
set output out
# A palette without pale colours, one per setting (Dark2).
array C[6] = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d"]
do for [i=1:6] { set linetype i lc rgb C[i] lw 1.3 }
set logscale x
set format x "10^{%T}"
set xlabel "training images seen"
set ylabel "held-out ELBO  [nats / image]"
set key bottom right samplen 2 title "images per digit"
file = gen."/study_size_curves.csv"
plot for [i=2:4] file using 1:i with lines lt (i-1) title columnheader(i)
