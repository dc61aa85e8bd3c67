// Registers the built-in classes so configs can name them. Listed in `sideEffects`; the package
// index imports it. One line per class: append new layers at the end of their block.

import { ELU } from './activation-layers/elu.js';
import { LeakyReLU } from './activation-layers/leaky-relu.js';
import { PReLU } from './activation-layers/prelu.js';
import { ReLU } from './activation-layers/relu.js';
import { Softmax } from './activation-layers/softmax.js';
import { BUILTIN_ACTIVATIONS, hardSigmoidV2 } from './activations/index.js';
import { BUILTIN_CONSTRAINTS } from './constraints/index.js';
import { Conv1D } from './convolutional/conv1d.js';
import { Conv1DTranspose } from './convolutional/conv1d-transpose.js';
import { Conv2D } from './convolutional/conv2d.js';
import { Conv2DTranspose } from './convolutional/conv2d-transpose.js';
import { Conv3D } from './convolutional/conv3d.js';
import { Conv3DTranspose } from './convolutional/conv3d-transpose.js';
import { DepthwiseConv1D } from './convolutional/depthwise-conv1d.js';
import { DepthwiseConv2D } from './convolutional/depthwise-conv2d.js';
import { SeparableConv1D } from './convolutional/separable-conv1d.js';
import { SeparableConv2D } from './convolutional/separable-conv2d.js';
import { Activation } from './core/activation.js';
import { Dense } from './core/dense.js';
import { Embedding } from './core/embedding.js';
import { Identity } from './core/identity.js';
import { Lambda } from './core/lambda.js';
import { Masking } from './core/masking.js';
import { InputLayer } from './engine/input-layer.js';
import { Layer } from './engine/layer.js';
import { BUILTIN_INITIALIZERS } from './initializers/index.js';
import { Concatenate } from './merging/concatenate.js';
import { Dot } from './merging/dot.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merging/elementwise.js';
import { BatchNormalization } from './normalization/batch-normalization.js';
import { GroupNormalization } from './normalization/group-normalization.js';
import { LayerNormalization } from './normalization/layer-normalization.js';
import { RMSNormalization } from './normalization/rms-normalization.js';
import { UnitNormalization } from './normalization/unit-normalization.js';
import { AveragePooling1D } from './pooling/average-pooling1d.js';
import { AveragePooling2D } from './pooling/average-pooling2d.js';
import { AveragePooling3D } from './pooling/average-pooling3d.js';
import { GlobalAveragePooling1D } from './pooling/global-average-pooling1d.js';
import { GlobalAveragePooling2D } from './pooling/global-average-pooling2d.js';
import { GlobalAveragePooling3D } from './pooling/global-average-pooling3d.js';
import { GlobalMaxPooling1D } from './pooling/global-max-pooling1d.js';
import { GlobalMaxPooling2D } from './pooling/global-max-pooling2d.js';
import { GlobalMaxPooling3D } from './pooling/global-max-pooling3d.js';
import { MaxPooling1D } from './pooling/max-pooling1d.js';
import { MaxPooling2D } from './pooling/max-pooling2d.js';
import { MaxPooling3D } from './pooling/max-pooling3d.js';
import { ActivityRegularization } from './regularization/activity-regularization.js';
import { Dropout } from './regularization/dropout.js';
import { AlphaDropout, GaussianDropout, GaussianNoise } from './regularization/noise.js';
import {
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
} from './regularization/spatial-dropout.js';
import { BUILTIN_REGULARIZERS } from './regularizers/index.js';
import { Cropping1D } from './reshaping/cropping1d.js';
import { Cropping2D } from './reshaping/cropping2d.js';
import { Cropping3D } from './reshaping/cropping3d.js';
import { Flatten } from './reshaping/flatten.js';
import { Permute } from './reshaping/permute.js';
import { RepeatVector } from './reshaping/repeat-vector.js';
import { Reshape } from './reshaping/reshape.js';
import { UpSampling1D } from './reshaping/up-sampling1d.js';
import { UpSampling2D } from './reshaping/up-sampling2d.js';
import { UpSampling3D } from './reshaping/up-sampling3d.js';
import { ZeroPadding1D } from './reshaping/zero-padding1d.js';
import { ZeroPadding2D } from './reshaping/zero-padding2d.js';
import { ZeroPadding3D } from './reshaping/zero-padding3d.js';
import { registerBuiltin } from './serialization/registry.js';

// Keras 2's hard_sigmoid first, so the name itself resolves to Keras 3's below.
registerBuiltin('activations', hardSigmoidV2, 'hard_sigmoid');
for (const [name, fn] of Object.entries(BUILTIN_ACTIVATIONS))
  registerBuiltin('activations', fn, name);
for (const cls of BUILTIN_INITIALIZERS) registerBuiltin('initializers', cls);
for (const cls of BUILTIN_REGULARIZERS) registerBuiltin('regularizers', cls);
for (const cls of BUILTIN_CONSTRAINTS) registerBuiltin('constraints', cls);

// Layers.
registerBuiltin('layers', Layer);
registerBuiltin('layers', InputLayer);
registerBuiltin('layers', Dense);
registerBuiltin('layers', Activation);
registerBuiltin('layers', Embedding);
registerBuiltin('layers', Identity);
registerBuiltin('layers', Lambda);
registerBuiltin('layers', Masking);
registerBuiltin('layers', Dropout);
registerBuiltin('layers', SpatialDropout1D);
registerBuiltin('layers', SpatialDropout2D);
registerBuiltin('layers', SpatialDropout3D);
registerBuiltin('layers', GaussianNoise);
registerBuiltin('layers', GaussianDropout);
registerBuiltin('layers', AlphaDropout);
registerBuiltin('layers', ActivityRegularization);
registerBuiltin('layers', Flatten);
registerBuiltin('layers', Reshape);
registerBuiltin('layers', Permute);
registerBuiltin('layers', RepeatVector);
registerBuiltin('layers', Add);
registerBuiltin('layers', Subtract);
registerBuiltin('layers', Multiply);
registerBuiltin('layers', Average);
registerBuiltin('layers', Maximum);
registerBuiltin('layers', Minimum);
registerBuiltin('layers', Concatenate);
registerBuiltin('layers', Dot);

// Convolution, pooling, padding/cropping/up-sampling, normalization and activation layers.
registerBuiltin('layers', Conv1D);
registerBuiltin('layers', Conv1D, 'Convolution1D');
registerBuiltin('layers', Conv2D);
registerBuiltin('layers', Conv2D, 'Convolution2D');
registerBuiltin('layers', Conv3D);
registerBuiltin('layers', Conv3D, 'Convolution3D');
registerBuiltin('layers', Conv1DTranspose);
registerBuiltin('layers', Conv1DTranspose, 'Convolution1DTranspose');
registerBuiltin('layers', Conv2DTranspose);
registerBuiltin('layers', Conv2DTranspose, 'Convolution2DTranspose');
registerBuiltin('layers', Conv3DTranspose);
registerBuiltin('layers', Conv3DTranspose, 'Convolution3DTranspose');
registerBuiltin('layers', SeparableConv1D);
registerBuiltin('layers', SeparableConv1D, 'SeparableConvolution1D');
registerBuiltin('layers', SeparableConv2D);
registerBuiltin('layers', SeparableConv2D, 'SeparableConvolution2D');
registerBuiltin('layers', DepthwiseConv1D);
registerBuiltin('layers', DepthwiseConv2D);
registerBuiltin('layers', MaxPooling1D);
registerBuiltin('layers', MaxPooling1D, 'MaxPool1D');
registerBuiltin('layers', MaxPooling2D);
registerBuiltin('layers', MaxPooling2D, 'MaxPool2D');
registerBuiltin('layers', MaxPooling3D);
registerBuiltin('layers', MaxPooling3D, 'MaxPool3D');
registerBuiltin('layers', AveragePooling1D);
registerBuiltin('layers', AveragePooling1D, 'AvgPool1D');
registerBuiltin('layers', AveragePooling2D);
registerBuiltin('layers', AveragePooling2D, 'AvgPool2D');
registerBuiltin('layers', AveragePooling3D);
registerBuiltin('layers', AveragePooling3D, 'AvgPool3D');
registerBuiltin('layers', GlobalMaxPooling1D);
registerBuiltin('layers', GlobalMaxPooling1D, 'GlobalMaxPool1D');
registerBuiltin('layers', GlobalMaxPooling2D);
registerBuiltin('layers', GlobalMaxPooling2D, 'GlobalMaxPool2D');
registerBuiltin('layers', GlobalMaxPooling3D);
registerBuiltin('layers', GlobalMaxPooling3D, 'GlobalMaxPool3D');
registerBuiltin('layers', GlobalAveragePooling1D);
registerBuiltin('layers', GlobalAveragePooling1D, 'GlobalAvgPool1D');
registerBuiltin('layers', GlobalAveragePooling2D);
registerBuiltin('layers', GlobalAveragePooling2D, 'GlobalAvgPool2D');
registerBuiltin('layers', GlobalAveragePooling3D);
registerBuiltin('layers', GlobalAveragePooling3D, 'GlobalAvgPool3D');
registerBuiltin('layers', ZeroPadding1D);
registerBuiltin('layers', ZeroPadding2D);
registerBuiltin('layers', ZeroPadding3D);
registerBuiltin('layers', Cropping1D);
registerBuiltin('layers', Cropping2D);
registerBuiltin('layers', Cropping3D);
registerBuiltin('layers', UpSampling1D);
registerBuiltin('layers', UpSampling2D);
registerBuiltin('layers', UpSampling3D);
registerBuiltin('layers', BatchNormalization);
registerBuiltin('layers', LayerNormalization);
registerBuiltin('layers', GroupNormalization);
registerBuiltin('layers', UnitNormalization);
registerBuiltin('layers', RMSNormalization);
registerBuiltin('layers', ReLU);
registerBuiltin('layers', LeakyReLU);
registerBuiltin('layers', PReLU);
registerBuiltin('layers', ELU);
registerBuiltin('layers', Softmax);

// Recurrent layers and cells.
import { GRU } from './rnn/gru.js';
import { GRUCell } from './rnn/gru-cell.js';
import { LSTM } from './rnn/lstm.js';
import { LSTMCell } from './rnn/lstm-cell.js';
import { RNN } from './rnn/rnn.js';
import { SimpleRNN } from './rnn/simple-rnn.js';
import { SimpleRNNCell } from './rnn/simple-rnn-cell.js';
import { StackedRNNCells } from './rnn/stacked-rnn-cells.js';

registerBuiltin('layers', RNN);
registerBuiltin('layers', SimpleRNN);
registerBuiltin('layers', SimpleRNNCell);
registerBuiltin('layers', LSTM);
registerBuiltin('layers', LSTMCell);
registerBuiltin('layers', GRU);
registerBuiltin('layers', GRUCell);
registerBuiltin('layers', StackedRNNCells);

// Attention layers.
import { AdditiveAttention } from './attention/additive-attention.js';
import { Attention } from './attention/attention.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';

registerBuiltin('layers', Attention);
registerBuiltin('layers', AdditiveAttention);
registerBuiltin('layers', MultiHeadAttention);

// Recurrent wrappers.
import { Bidirectional } from './rnn/bidirectional.js';
import { TimeDistributed } from './rnn/time-distributed.js';

registerBuiltin('layers', Bidirectional);
registerBuiltin('layers', TimeDistributed);

// Convolutional recurrent layers.
import { ConvLSTM1D, ConvLSTM2D } from './rnn/conv-lstm.js';
import { ConvLSTMCell } from './rnn/conv-lstm-cell.js';

registerBuiltin('layers', ConvLSTM1D);
registerBuiltin('layers', ConvLSTM2D);
registerBuiltin('layers', ConvLSTMCell);
