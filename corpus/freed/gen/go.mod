module example.com/corpus/freed

go 1.19
