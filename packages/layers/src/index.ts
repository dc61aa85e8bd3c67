import './register.js';

export { ELU, type ELUArgs } from './activation-layers/elu.js';
export { LeakyReLU, type LeakyReLUArgs } from './activation-layers/leaky-relu.js';
export { PReLU, type PReLUArgs } from './activation-layers/prelu.js';
export { ReLU, type ReLUArgs } from './activation-layers/relu.js';
export { Softmax, type SoftmaxArgs } from './activation-layers/softmax.js';
export * as activations from './activations/index.js';
// Attention layers.
export { AdditiveAttention, type AdditiveAttentionArgs } from './attention/additive-attention.js';
export { Attention, type AttentionArgs, type AttentionCallArgs } from './attention/attention.js';
export { HeadProjection } from './attention/head-projection.js';
export {
  MultiHeadAttention,
  type MultiHeadAttentionArgs,
  type MultiHeadAttentionCallArgs,
} from './attention/multi-head-attention.js';
export * as constraints from './constraints/index.js';
export type { ConvArgs } from './convolutional/base-conv.js';
export type { ConvTransposeArgs } from './convolutional/base-conv-transpose.js';
export type { DepthwiseConvArgs } from './convolutional/base-depthwise-conv.js';
export type { SeparableConvArgs } from './convolutional/base-separable-conv.js';
export type { ConvPadding, DataFormat } from './convolutional/conv-utils.js';
// Convolution, pooling, padding/cropping/up-sampling, normalization and activation layers.
export { Conv1D, Conv1D as Convolution1D } from './convolutional/conv1d.js';
export {
  Conv1DTranspose,
  Conv1DTranspose as Convolution1DTranspose,
} from './convolutional/conv1d-transpose.js';
export { Conv2D, Conv2D as Convolution2D } from './convolutional/conv2d.js';
export {
  Conv2DTranspose,
  Conv2DTranspose as Convolution2DTranspose,
} from './convolutional/conv2d-transpose.js';
export { Conv3D, Conv3D as Convolution3D } from './convolutional/conv3d.js';
export {
  Conv3DTranspose,
  Conv3DTranspose as Convolution3DTranspose,
} from './convolutional/conv3d-transpose.js';
export { DepthwiseConv1D } from './convolutional/depthwise-conv1d.js';
export { DepthwiseConv2D } from './convolutional/depthwise-conv2d.js';
export {
  SeparableConv1D,
  SeparableConv1D as SeparableConvolution1D,
} from './convolutional/separable-conv1d.js';
export {
  SeparableConv2D,
  SeparableConv2D as SeparableConvolution2D,
} from './convolutional/separable-conv2d.js';
// Core, regularization, basic reshaping and merging layers.
export { Activation, type ActivationArgs } from './core/activation.js';
// Layers.
export { Dense, type DenseArgs } from './core/dense.js';
export { Embedding, type EmbeddingArgs } from './core/embedding.js';
export { Identity } from './core/identity.js';
export { Lambda, type LambdaArgs, type LambdaFunction } from './core/lambda.js';
export { Masking, type SerializedTensor as SerializedMaskValue } from './core/masking.js';
export { type CallContext, currentCallContext } from './engine/call-context.js';
export { Input, InputLayer, type InputLayerArgs } from './engine/input-layer.js';
export {
  assertInputCompatibility,
  type InputDescription,
  InputSpec,
} from './engine/input-spec.js';
export { getKerasMask, setKerasMask } from './engine/keras-mask.js';
export { type AddWeightArgs, type AnyInputs, Layer, type LayerArgs } from './engine/layer.js';
export { resetUniqueNames, toSnakeCase, uniqueName } from './engine/naming.js';
export { Node } from './engine/node.js';
export {
  isSymbolicTensor,
  type KerasHistory,
  SymbolicTensor,
} from './engine/symbolic-tensor.js';
export {
  type CallArgs,
  type Config,
  type ConfigValue,
  type DType,
  formatShape,
  isDType,
  type Shape,
  toTfDtype,
} from './engine/types.js';
export { LayerVariable } from './engine/variable.js';
export * as initializers from './initializers/index.js';
export { Concatenate } from './merging/concatenate.js';
export { batchDot, Dot } from './merging/dot.js';
export { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merging/elementwise.js';
export { broadcastShapes, Merge } from './merging/merge.js';
export {
  BatchNormalization,
  type BatchNormalizationArgs,
} from './normalization/batch-normalization.js';
export {
  GroupNormalization,
  type GroupNormalizationArgs,
} from './normalization/group-normalization.js';
export {
  LayerNormalization,
  type LayerNormalizationArgs,
} from './normalization/layer-normalization.js';
export { RMSNormalization, type RMSNormalizationArgs } from './normalization/rms-normalization.js';
export {
  UnitNormalization,
  type UnitNormalizationArgs,
} from './normalization/unit-normalization.js';
export { AveragePooling1D, AveragePooling1D as AvgPool1D } from './pooling/average-pooling1d.js';
export { AveragePooling2D, AveragePooling2D as AvgPool2D } from './pooling/average-pooling2d.js';
export { AveragePooling3D, AveragePooling3D as AvgPool3D } from './pooling/average-pooling3d.js';
export type { GlobalPoolingArgs } from './pooling/base-global-pooling.js';
export type { PoolingArgs } from './pooling/base-pooling.js';
export {
  GlobalAveragePooling1D,
  GlobalAveragePooling1D as GlobalAvgPool1D,
} from './pooling/global-average-pooling1d.js';
export {
  GlobalAveragePooling2D,
  GlobalAveragePooling2D as GlobalAvgPool2D,
} from './pooling/global-average-pooling2d.js';
export {
  GlobalAveragePooling3D,
  GlobalAveragePooling3D as GlobalAvgPool3D,
} from './pooling/global-average-pooling3d.js';
export {
  GlobalMaxPooling1D,
  GlobalMaxPooling1D as GlobalMaxPool1D,
} from './pooling/global-max-pooling1d.js';
export {
  GlobalMaxPooling2D,
  GlobalMaxPooling2D as GlobalMaxPool2D,
} from './pooling/global-max-pooling2d.js';
export {
  GlobalMaxPooling3D,
  GlobalMaxPooling3D as GlobalMaxPool3D,
} from './pooling/global-max-pooling3d.js';
export { MaxPooling1D, MaxPooling1D as MaxPool1D } from './pooling/max-pooling1d.js';
export { MaxPooling2D, MaxPooling2D as MaxPool2D } from './pooling/max-pooling2d.js';
export { MaxPooling3D, MaxPooling3D as MaxPool3D } from './pooling/max-pooling3d.js';
export { ActivityRegularization } from './regularization/activity-regularization.js';
export { Dropout, type DropoutArgs } from './regularization/dropout.js';
export { AlphaDropout, GaussianDropout, GaussianNoise } from './regularization/noise.js';
export { SeedStream } from './regularization/seed-stream.js';
export {
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  type SpatialDropoutArgs,
} from './regularization/spatial-dropout.js';
export * as regularizers from './regularizers/index.js';
export type { CroppingArgs } from './reshaping/cropping-base.js';
export { Cropping1D } from './reshaping/cropping1d.js';
export { Cropping2D } from './reshaping/cropping2d.js';
export { Cropping3D } from './reshaping/cropping3d.js';
export { Flatten } from './reshaping/flatten.js';
export { Permute } from './reshaping/permute.js';
export { RepeatVector } from './reshaping/repeat-vector.js';
export { Reshape } from './reshaping/reshape.js';
export { UpSampling1D, type UpSampling1DArgs } from './reshaping/up-sampling1d.js';
export { UpSampling2D, type UpSampling2DArgs } from './reshaping/up-sampling2d.js';
export { UpSampling3D, type UpSampling3DArgs } from './reshaping/up-sampling3d.js';
export type { ZeroPaddingArgs } from './reshaping/zero-padding-base.js';
export { ZeroPadding1D } from './reshaping/zero-padding1d.js';
export { ZeroPadding2D } from './reshaping/zero-padding2d.js';
export { ZeroPadding3D } from './reshaping/zero-padding3d.js';
// Recurrent wrappers.
export { Bidirectional, type BidirectionalArgs, type MergeMode } from './rnn/bidirectional.js';
// Convolutional recurrent layers.
export { ConvLSTM1D, ConvLSTM2D, type ConvLSTMArgs } from './rnn/conv-lstm.js';
export { ConvLSTMCell, type ConvLSTMCellArgs } from './rnn/conv-lstm-cell.js';
export type { CellWeightArgs, PreparedSequence } from './rnn/gate-cell.js';
// Recurrent layers and cells.
export { GRU, type GRUArgs } from './rnn/gru.js';
export { GRUCell, type GRUCellArgs } from './rnn/gru-cell.js';
export { LSTM, type LSTMArgs } from './rnn/lstm.js';
export { LSTMCell, type LSTMCellArgs } from './rnn/lstm-cell.js';
export type {
  RecurrenceResult,
  StepFunction as RecurrenceStepFunction,
  StepResult,
} from './rnn/recurrence.js';
export { RNN, type RNNArgs, type RNNOptions } from './rnn/rnn.js';
export type { RecurrentCell, SequencePlan, SequenceRunArgs } from './rnn/rnn-cell.js';
export { SimpleRNN, type SimpleRNNArgs } from './rnn/simple-rnn.js';
export { SimpleRNNCell, type SimpleRNNCellArgs } from './rnn/simple-rnn-cell.js';
export { StackedRNNCells, type StackedRNNCellsArgs } from './rnn/stacked-rnn-cells.js';
export { TimeDistributed, type TimeDistributedArgs } from './rnn/time-distributed.js';
export { camelToSnake, configToArgs, snakeToCamel } from './serialization/config-keys.js';
export {
  type DTypePolicy,
  parseDTypePolicy,
  serializeDTypePolicy,
} from './serialization/dtype-policy.js';
export {
  type CustomObjects,
  classNameOf,
  type DeserializeOptions,
  deserializeKerasObject,
  getRegisteredClass,
  getRegisteredName,
  type ObjectKind,
  type Registrable,
  registerBuiltin,
  registerKerasSerializable,
  type SerializableClass,
  type SerializableFunction,
  type SerializedObject,
  serializeKerasObject,
  withCustomObjects,
} from './serialization/registry.js';
