# Shared look of the report's line plots. Callers pass: results, gen (report/generated), out.
set terminal pdfcairo size 5in,3.1in font "DejaVu Sans,9" linewidth 1.5 noenhanced
set output out
set datafile separator ","
set grid lc rgb "#dddddd"
set key box opaque samplen 2 spacing 1.1
set border lc rgb "#444444"
