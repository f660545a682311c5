module example.com/corpus/racewrite

go 1.19
