module example.com/corpus/locals

go 1.19
