module mapsleuth.test/gdblive

go 1.19
