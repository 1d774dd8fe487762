# Beyond the homework: the importance-weighted bound L_k on held-out data against k, beside
# the ELBO; L_k rises towards log p(x) as k grows.
load "analysis/common.gp"
set terminal pdfcairo size 2.8in,2.2in font "DejaVu Sans,9" linewidth 1.5 noenhanced
set output out
set logscale x
set xlabel "k (importance samples)"
set ylabel "nats / image (held-out)"
set key center right
plot results."/p2/iwae_k.csv" every ::1 using 1:2 with linespoints lc rgb "#08519c" pt 7 ps 0.5 title "L_k", \
     results."/p2/iwae_k.csv" every ::1 using 1:3 with lines dt 2 lc rgb "#d62728" title "ELBO"
