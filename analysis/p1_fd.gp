# Problem 1, identity (4): |E_p[Phi] - central difference of -log Z| against the step h.
# Truncation (~h^2) dominates on the right, rounding (~eps/h) on the left.
load "analysis/common.gp"
set terminal pdfcairo size 5in,2.7in font "DejaVu Sans,9" linewidth 1.5 enhanced
set output out
set datafile separator " "
load gen."/p1_fd_titles.gp"
set logscale xy
set xlabel "step h"
set ylabel "absolute error"
set format x "10^{%L}"
set format y "10^{%L}"
set key top left
colors = "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b"
t(i) = system(sprintf("echo \"%s\" | cut -d\"|\" -f%d", fd_titles, i))
plot for [i=1:fd_blocks] gen."/p1_fd.dat" index (i-1) using 1:2 with linespoints lc rgb word(colors, i) pt 7 ps 0.5 title t(i)
