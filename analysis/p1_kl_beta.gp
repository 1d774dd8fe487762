# Problem 1: min KL over Q2 (filled, solid) and Q1 (open, dotted) against beta for a few N,
# with the beta = infinity closed forms log(2^N - 1) (Q2, dashed) and log(2 - 2^(1-N))
# (Q1, dash-dot) drawn as levels.
load "analysis/common.gp"
set terminal pdfcairo size 5.4in,3.2in font "DejaVu Sans,9" linewidth 1.5 enhanced
set output out
set datafile separator " "
load gen."/p1_kl_beta_titles.gp"
set logscale xy
set xlabel "{/Symbol b}"
set ylabel "min_q KL(q || p_{/Symbol b})  [nats]"
set key outside right top
set format y "10^{%L}"
set xrange [0.4:40]
colors = "#1f77b4 #ff7f0e #2ca02c #d62728"
n = words(kl_ns)
plot for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:2 with linespoints lc rgb word(colors, i) pt 7 ps 0.4 title "N = ".word(kl_ns, i), \
     for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:3 with linespoints lc rgb word(colors, i) pt 6 ps 0.5 dt 3 notitle, \
     for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:4 with lines lc rgb word(colors, i) dt 2 lw 0.8 notitle, \
     for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:5 with lines lc rgb word(colors, i) dt 4 lw 0.8 notitle, \
     NaN with linespoints lc rgb "black" pt 7 ps 0.4 title "Q2", \
     NaN with linespoints lc rgb "black" pt 6 ps 0.5 dt 3 title "Q1", \
     NaN with lines lc rgb "black" dt 2 lw 0.8 title "Q2 at {/Symbol b}=∞", \
     NaN with lines lc rgb "black" dt 4 lw 0.8 title "Q1 at {/Symbol b}=∞"
