# Shared look of the report's line plots. Callers pass: results, gen (report/generated), out.
# Every plot is drawn at the size it has on the page (the .tex files include it unscaled), so
# its 9-point text is 9 points in the PDF, like every other figure's.
set terminal pdfcairo size 6in,2.8in font "DejaVu Sans,9" linewidth 1.5 noenhanced
set output out
set datafile separator ","
set grid lc rgb "#dddddd"
set key box opaque samplen 2 spacing 1.1
set border lc rgb "#444444"
