module example.com/corpus/raceread

go 1.19
