// Placeholder: benchmarks of the engine come later.
console.log('no benchmarks yet');
