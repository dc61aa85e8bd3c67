export {
  type RunLayerTestOptions,
  type RunLayerTestResult,
  runLayerTest,
  type TestableLayerClass,
} from './run-layer-test.js';
