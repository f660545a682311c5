module example.com/mapsleuth/bench/fillmaps

go 1.19
