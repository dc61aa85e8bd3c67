import { keraTsVitestConfig } from '@keras-ts/vitest-preset';

export default keraTsVitestConfig({ dir: import.meta.dirname });
