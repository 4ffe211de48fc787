import { describe, it, expect } from 'vitest';
import type { ExampleRow } from '../../shared/api/contract';
import {
  MAX_IMAGE_BYTES,
  exampleFields,
  exampleLabel,
  fieldProblem,
  imageFileProblem,
  imageSizeText,
  matchesExample,
  nextOffset,
  percentText,
  probabilityBars,
  rowOf,
  valueText,
} from '../../renderer/src/features/results/tryItModel';

const example: ExampleRow = { testIndex: 0, line: 1843, values: [7.4, 0.7, -122.23], actual: 'red' };
const features = ['fixed acidity', 'volatile acidity', 'Longitude'];

describe('the Try it form of a tabular run', () => {
  it('prefills one field a feature with the example row, as the file writes the numbers', () => {
    expect(exampleFields(example, 3)).toEqual(['7.4', '0.7', '-122.23']);
    expect(exampleFields(undefined, 2)).toEqual(['', '']);
    expect(exampleLabel({ ...example, testIndex: 1299 })).toBe('Test row 1,300 (line 1,843 of the file)');
  });

  it('sends the fields by column name, trimmed, and checks them before asking', () => {
    expect(rowOf(features, [' 7.4', '0.7 ', '-122.23'])).toEqual({
      'fixed acidity': '7.4',
      'volatile acidity': '0.7',
      Longitude: '-122.23',
    });
    expect(fieldProblem('')).toBe('Enter a number.');
    expect(fieldProblem('   ')).toBe('Enter a number.');
    expect(fieldProblem('-')).toBe('This is not a number.');
    expect(fieldProblem('1e')).toBe('This is not a number.');
    expect(fieldProblem('0x10')).toBe('This is not a number.');
    for (const ok of ['3', '-0.5', '.5', '1.', '2.5e-3', '+4']) expect(fieldProblem(ok)).toBeNull();
  });

  it('gives the true target only while the fields still hold the example', () => {
    expect(matchesExample(['7.4', '0.70', '-122.23'], example)).toBe(true);
    expect(matchesExample(['7.5', '0.7', '-122.23'], example)).toBe(false);
    expect(matchesExample(['7.4', '', '-122.23'], example)).toBe(false);
    expect(matchesExample(['7.4', '0.7', '-122.23'], undefined)).toBe(false);
  });

  it('shows a predicted value to five significant digits', () => {
    expect(valueText(2.345678)).toBe('2.3457');
    expect(valueText(-0.000123456)).toBe('-0.00012346');
    expect(valueText(123456.7)).toBe('123460');
    expect(valueText(0)).toBe('0');
    expect(valueText(3e-9)).toBe('3.0000e-9');
    expect(valueText(Number.NaN)).toBe('–');
  });
});

describe('class probabilities', () => {
  it('draws one bar a class in class order and marks the chosen one', () => {
    const bars = probabilityBars(
      { input: 'row 1', classIndex: 1, className: 'white', probabilities: [0.0273, 0.9727] },
      ['red', 'white'],
    );
    expect(bars).toEqual([
      { name: 'red', probability: 0.0273, percent: '2.7 %', top: false },
      { name: 'white', probability: 0.9727, percent: '97.3 %', top: true },
    ]);
    // Without class names the bars are numbered as the outputs are.
    const numbered = probabilityBars(
      { input: 'x', classIndex: 0, className: '0', probabilities: [0.6, 0.3, 0.1] },
      null,
    );
    expect(numbered.map((b) => b.name)).toEqual(['0', '1', '2']);
  });

  it('does not call a small share 0.0 %', () => {
    expect(percentText(0.0004)).toBe('< 0.1 %');
    expect(percentText(0)).toBe('0.0 %');
    expect(percentText(1)).toBe('100.0 %');
  });
});

describe('pictures for an image run', () => {
  it('takes JPEG and PNG files up to 20 MB and says why it refuses others', () => {
    expect(imageFileProblem({ name: 'cat.jpg', size: 1000, type: 'image/jpeg' })).toBeNull();
    expect(imageFileProblem({ name: 'seven', size: 1000, type: 'image/png' })).toBeNull();
    expect(imageFileProblem({ name: 'scan.PNG', size: 1000, type: '' })).toBeNull();
    expect(imageFileProblem({ name: 'cat.gif', size: 1000, type: 'image/gif' })).toBe(
      'cat.gif is not a JPEG or PNG picture: choose a .jpg or .png file.',
    );
    expect(imageFileProblem({ name: 'e.png', size: 0, type: 'image/png' })).toBe(
      'e.png is empty: choose another picture.',
    );
    expect(imageFileProblem({ name: 'big.png', size: MAX_IMAGE_BYTES + 1, type: 'image/png' })).toMatch(
      /^big\.png is larger than the 20 MB the app takes/,
    );
  });

  it('says how the network sees pictures and pages through the test images, back to the start', () => {
    expect(imageSizeText(8, 8, 1)).toBe('8×8 pixels, grey');
    expect(imageSizeText(32, 32, 3)).toBe('32×32 pixels, colour');
    expect(nextOffset(0, 24, 360)).toBe(24);
    expect(nextOffset(336, 24, 360)).toBe(0);
    expect(nextOffset(24, 24, 30)).toBe(0);
  });
});
