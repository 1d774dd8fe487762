# Problem 1: min KL over Q2 (thin lines with dots) and Q1 (wide pale bands underneath, so both
# stay visible where they coincide) against beta for a few N, with the beta = infinity closed
# forms log(2^N - 1) (Q2, dashed) and log(2 - 2^(1-N)) (Q1, dash-dot) drawn as levels.
load "analysis/common.gp"
set terminal pdfcairo size 6in,3in font "DejaVu Sans,9" linewidth 1.5 enhanced
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
pale = "#991f77b4 #99ff7f0e #992ca02c #99d62728"  # the same colours, 60 % transparent
n = words(kl_ns)
plot for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:3 with lines lc rgb word(pale, i) lw 7 notitle, \
     for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:2 with linespoints lc rgb word(colors, i) pt 7 ps 0.4 lw 1 title "N = ".word(kl_ns, i), \
     for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:4 with lines lc rgb word(colors, i) dt 2 lw 0.8 notitle, \
     for [i=1:n] gen."/p1_kl_beta.dat" index (i-1) using 1:5 with lines lc rgb word(colors, i) dt 4 lw 0.8 notitle, \
     NaN with linespoints lc rgb "black" pt 7 ps 0.4 lw 1 title "Q2", \
     NaN with lines lc rgb "#99000000" lw 7 title "Q1", \
     NaN with lines lc rgb "black" dt 2 lw 0.8 title "Q2 at {/Symbol b}=∞", \
     NaN with lines lc rgb "black" dt 4 lw 0.8 title "Q1 at {/Symbol b}=∞"
