"""Two versions compared: the diff engine's results as page rows, the cache, the exports."""
