module example.com/corpus/plugins

go 1.19
