// Every benchmark adapter read back from small datasets written in each real schema (HF parquet,
// VLMEvalKit TSV, official layout): ids, questions, references the scorer accepts, categories,
// prompts every protocol can build, and the exact image bytes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../harness/datasets/open.js';
import type { CogevalDataset } from '../../harness/datasets/dataset.js';
import { checkSampleImages } from '../../harness/datasets/images.js';
import { isSampleFailure, type Sample, type SampleOrFailure, type SourceId } from '../../harness/datasets/types.js';
import { SCORERS } from '../../harness/metrics/registry.js';
import type { BenchId } from '../../harness/metrics/types.js';
import { userPrompt } from '../../harness/protocols/protocol.js';
import { PROTOCOL_IDS } from '../../harness/protocols/types.js';
import { jpegImage, pngImage, pyList, tempDir, writeImage, writeJson, writeParquet, writeTsv } from './fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterAll(async () => cleanup());

async function collect(ds: CogevalDataset): Promise<SampleOrFailure[]> {
  const out: SampleOrFailure[] = [];
  for await (const s of ds.samples()) out.push(s);
  return out;
}

function samplesOnly(items: SampleOrFailure[]): Sample[] {
  const failures = items.filter(isSampleFailure);
  expect(failures).toEqual([]);
  return items as Sample[];
}

/** Checks what must hold for every sample of every source. */
async function checkCommon(bench: BenchId, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    expect(s.bench).toBe(bench);
    // The references are a predictions record minus the prediction: the scorer must accept them.
    expect(() => SCORERS[bench].parseRecord({ ...s.references, id: s.id, prediction: 'x' })).not.toThrow();
    for (const protocol of PROTOCOL_IDS) {
      // Every protocol builds a prompt holding the question (lmms-eval lower-cases TextVQA's).
      expect(userPrompt(protocol, s.prompt).toLowerCase()).toContain(s.question.slice(-8).toLowerCase());
    }
    expect(await checkSampleImages(s)).toBeNull();
  }
  expect(samples.map((s) => s.index)).toEqual(samples.map((_, i) => i));
}

async function open(bench: BenchId, source: SourceId, dataDir: string, extra: { split?: string; config?: string } = {}): Promise<CogevalDataset> {
  return openDataset({ bench, source, dataDir, ...extra });
}

async function imageBytes(s: Sample): Promise<Buffer> {
  return Buffer.from(await s.images[0].bytes());
}

// ---------------------------------------------------------------------------------------------

describe('TextVQA', () => {
  const answers1 = ['nous les gosses', 'dakota', 'dakota', 'dakota', 'nous les gosses', 'dakota', 'dakota', 'dakota', 'dakota', "l'oreal"];
  const answers2 = Array.from({ length: 10 }, () => '12');
  const items = [
    { qid: 34602, question: 'what is the brand of this camera?', answers: answers1, imageId: '0054c91397f2fe05' },
    { qid: 34603, question: 'what does the small white text spell?', answers: answers2, imageId: '005635e119b9f32f' },
  ];
  let imgs: Buffer[];
  beforeAll(async () => {
    imgs = [await jpegImage(1), await jpegImage(2)];
    const dir = join(root, 'textvqa');
    await writeParquet(
      join(dir, 'hf', 'data', 'validation-00000-of-00001.parquet'),
      [
        { name: 'image_id', kind: 'string' },
        { name: 'question_id', kind: 'int64' },
        { name: 'question', kind: 'string' },
        { name: 'image', kind: 'image' },
        { name: 'answers', kind: 'strings' },
      ],
      items.map((it, i) => ({ image_id: it.imageId, question_id: it.qid, question: it.question, image: imgs[i], answers: it.answers })),
    );
    await writeTsv(
      join(dir, 'tsv', 'TextVQA_VAL.tsv'),
      ['index', 'image', 'question', 'answer'],
      items.map((it, i) => ({ index: it.qid, image: imgs[i], question: it.question, answer: pyList(it.answers) })),
    );
    await writeJson(join(dir, 'official', 'TextVQA_0.5.1_val.json'), {
      dataset_name: 'textvqa',
      data: items.map((it) => ({ question_id: it.qid, question: it.question, image_id: it.imageId, answers: it.answers })),
    });
    for (const [i, it] of items.entries()) await writeImage(join(dir, 'official', 'train_images', `${it.imageId}.jpg`), imgs[i]);
  });

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv'], ['official', 'official']] as const) {
    it(`reads the ${source} layout`, async () => {
      const ds = await open('textvqa', source, join(root, 'textvqa', sub));
      expect(await ds.count()).toBe(2);
      const samples = samplesOnly(await collect(ds));
      await checkCommon('textvqa', samples);
      expect(samples.map((s) => s.id)).toEqual(['34602', '34603']);
      expect(samples[0].references).toEqual({ answers: answers1 });
      expect(samples[0].prompt).toEqual({ bench: 'textvqa', question: items[0].question });
      expect(await imageBytes(samples[1])).toEqual(imgs[1]);
    });
  }
});

describe('DocVQA', () => {
  const items = [
    { id: 49153, q: 'What is the ‘actual’ value per 1000, during the year 1975?', answers: ['0.28'], types: ['figure/diagram'], doc: 'pybv0228_81' },
    { id: 24580, q: 'What is name of university?', answers: ['university of california', 'University of California'], types: ['layout'], doc: 'nkbl0226_1' },
  ];
  let imgs: Buffer[];
  beforeAll(async () => {
    imgs = [await pngImage(3), await pngImage(4)];
    const dir = join(root, 'docvqa');
    const hfColumns = [
      { name: 'questionId', kind: 'string' },
      { name: 'question', kind: 'string' },
      { name: 'question_types', kind: 'strings' },
      { name: 'image', kind: 'image' },
      { name: 'docId', kind: 'int64' },
      { name: 'answers', kind: 'strings' },
    ] as const;
    const hfRows = items.map((it, i) => ({ questionId: String(it.id), question: it.q, question_types: it.types, image: imgs[i], docId: 1000 + i, answers: it.answers }));
    await writeParquet(join(dir, 'hf', 'DocVQA', 'validation-00000-of-00001.parquet'), hfColumns, hfRows);
    await writeParquet(join(dir, 'hf', 'DocVQA', 'test-00000-of-00001.parquet'), hfColumns, hfRows.map((r) => ({ ...r, answers: null })));
    // A sibling config's shard in the same snapshot must not be picked up.
    await writeParquet(join(dir, 'hf', 'InfographicVQA', 'validation-00000-of-00001.parquet'), hfColumns, hfRows.slice(0, 1));
    await writeTsv(
      join(dir, 'tsv', 'DocVQA_VAL.tsv'),
      ['index', 'image', 'question', 'answer'],
      items.map((it, i) => ({ index: it.id, image: imgs[i], question: it.q, answer: pyList(it.answers) })),
    );
    await writeTsv(join(dir, 'tsv', 'DocVQA_TEST.tsv'), ['index', 'image', 'question'], items.map((it, i) => ({ index: it.id, image: imgs[i], question: it.q })));
    await writeJson(join(dir, 'official', 'spdocvqa_qas', 'val_v1.0_withQT.json'), {
      dataset_name: 'docvqa',
      dataset_split: 'val',
      data: items.map((it) => ({ questionId: it.id, question: it.q, question_types: it.types, image: `documents/${it.doc}.png`, docId: 1, answers: it.answers })),
    });
    for (const [i, it] of items.entries()) await writeImage(join(dir, 'official', 'spdocvqa_images', `${it.doc}.png`), imgs[i]);
  });

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv'], ['official', 'official']] as const) {
    it(`reads the ${source} layout (validation)`, async () => {
      const ds = await open('docvqa', source, join(root, 'docvqa', sub), { split: 'val' });
      expect(ds.split).toBe('validation');
      expect(ds.hasAnswers).toBe(true);
      const samples = samplesOnly(await collect(ds));
      expect(samples).toHaveLength(2);
      await checkCommon('docvqa', samples);
      expect(samples.map((s) => s.id)).toEqual(['49153', '24580']);
      expect(samples[1].references['answers']).toEqual(items[1].answers);
      if (source !== 'vlmevalkit') {
        expect(samples[0].references['question_types']).toEqual(['figure/diagram']);
        expect(samples[0].categories).toEqual({ question_type: ['figure/diagram'] });
      }
      expect(await imageBytes(samples[0])).toEqual(imgs[0]);
    });
  }

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv']] as const) {
    it(`marks the ${source} test split as having no answers`, async () => {
      const ds = await open('docvqa', source, join(root, 'docvqa', sub), { split: 'test' });
      expect(ds.hasAnswers).toBe(false);
      const samples = samplesOnly(await collect(ds));
      expect(samples).toHaveLength(2);
      for (const s of samples) {
        expect(s.references['answers']).toBeUndefined();
        expect(s.extra['hasAnswers']).toBe(false);
        // Without answers the scorer refuses the record, naming the field.
        expect(() => SCORERS.docvqa.parseRecord({ ...s.references, id: s.id, prediction: 'x' })).toThrow(/answers/);
      }
    });
  }
});

describe('ChartQA', () => {
  const human = [{ q: 'How many food item is shown in the bar graph?', a: '14', img: 'two_col_100.png' }];
  const augmented = [
    { q: 'What is the value of the largest bar?', a: '52.7', img: '41699051005347.png' },
    { q: 'Which year has the highest value?', a: '[2019, 2020]', img: 'multi_col_1.png' },
  ];
  let imgs: Buffer[];
  beforeAll(async () => {
    imgs = [await pngImage(5), await pngImage(6), await pngImage(7)];
    const dir = join(root, 'chartqa');
    const all = [...human.map((h) => ({ ...h, type: 'human_test' })), ...augmented.map((a) => ({ ...a, type: 'augmented_test' }))];
    await writeParquet(
      join(dir, 'hf', 'data', 'test-00000-of-00001.parquet'),
      [
        { name: 'type', kind: 'string' },
        { name: 'question', kind: 'string' },
        { name: 'answer', kind: 'string' },
        { name: 'image', kind: 'image' },
      ],
      all.map((it, i) => ({ type: it.type, question: it.q, answer: it.a, image: imgs[i] })),
    );
    await writeTsv(
      join(dir, 'tsv', 'ChartQA_TEST.tsv'),
      ['index', 'image', 'question', 'answer'],
      all.map((it, i) => ({ index: i, image: imgs[i], question: it.q, answer: it.a })),
    );
    const off = join(dir, 'official', 'ChartQA Dataset', 'test');
    await writeJson(join(off, 'test_human.json'), human.map((h) => ({ imgname: h.img, query: h.q, label: h.a })));
    await writeJson(join(off, 'test_augmented.json'), augmented.map((a) => ({ imgname: a.img, query: a.q, label: a.a })));
    for (const [i, it] of all.entries()) await writeImage(join(off, 'png', it.img), imgs[i]);
  });

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv'], ['official', 'official']] as const) {
    it(`reads the ${source} layout`, async () => {
      const samples = samplesOnly(await collect(await open('chartqa', source, join(root, 'chartqa', sub))));
      expect(samples).toHaveLength(3);
      await checkCommon('chartqa', samples);
      expect(samples.map((s) => s.references['answer'])).toEqual(['14', '52.7', '[2019, 2020]']);
      if (source === 'hf') {
        expect(samples.map((s) => s.id)).toEqual(['0', '1', '2']);
        expect(samples.map((s) => s.references['type'])).toEqual(['human_test', 'augmented_test', 'augmented_test']);
      }
      if (source === 'official') expect(samples.map((s) => s.id)).toEqual(['human_0', 'augmented_0', 'augmented_1']);
      if (source !== 'vlmevalkit') expect(samples.map((s) => s.categories['split'])).toEqual(['human', 'augmented', 'augmented']);
      expect(await imageBytes(samples[2])).toEqual(imgs[2]);
    });
  }
});

describe('OCRBench', () => {
  const items = [
    { dataset: 'IIIT5K', q: 'what is written in the image?', type: 'Regular Text Recognition', answers: ['CENTRE'], path: 'IIIT5K/imgs/1.png' },
    { dataset: 'HME100k', q: 'Please write out the expression of the formula in the image using LaTeX format.', type: 'Handwritten Mathematical Expression Recognition', answers: ['x ^ { 2 }', 'x^2'], path: 'HME100k/imgs/2.png' },
  ];
  let imgs: Buffer[];
  beforeAll(async () => {
    imgs = [await pngImage(8), await pngImage(9)];
    const dir = join(root, 'ocrbench');
    await writeParquet(
      join(dir, 'hf', 'data', 'test-00000-of-00001.parquet'),
      [
        { name: 'dataset', kind: 'string' },
        { name: 'question', kind: 'string' },
        { name: 'question_type', kind: 'string' },
        { name: 'answer', kind: 'strings' },
        { name: 'image', kind: 'image' },
      ],
      items.map((it, i) => ({ dataset: it.dataset, question: it.q, question_type: it.type, answer: it.answers, image: imgs[i] })),
    );
    await writeTsv(
      join(dir, 'tsv', 'OCRBench.tsv'),
      ['index', 'image', 'question', 'answer', 'category'],
      items.map((it, i) => ({ index: i, image: imgs[i], question: it.q, answer: pyList(it.answers), category: it.type })),
    );
    await writeJson(
      join(dir, 'official', 'OCRBench', 'OCRBench', 'OCRBench.json'),
      items.map((it, i) => ({ dataset_name: it.dataset, id: i, image_path: it.path, question: it.q, answers: it.answers.length === 1 ? it.answers[0] : it.answers, type: it.type })),
    );
    for (const [i, it] of items.entries()) await writeImage(join(dir, 'official', 'OCRBench_Images', it.path), imgs[i]);
  });

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv'], ['official', 'official']] as const) {
    it(`reads the ${source} layout`, async () => {
      const samples = samplesOnly(await collect(await open('ocrbench', source, join(root, 'ocrbench', sub))));
      expect(samples).toHaveLength(2);
      await checkCommon('ocrbench', samples);
      expect(samples.map((s) => s.id)).toEqual(['0', '1']);
      expect(samples[1].references).toEqual({ answer: items[1].answers, question_type: items[1].type, dataset: 'HME100k' });
      expect(samples[0].references['answer']).toEqual(['CENTRE']);
      expect(samples[0].categories).toEqual({ category: 'Regular Text Recognition' });
      if (source === 'vlmevalkit') {
        // No source-dataset column in the TSV: only the HME rule needs it (HME100k), others are marked.
        expect(samples[0].references['dataset']).toBe('(not in the VLMEvalKit TSV)');
        expect(samples[0].extra['datasetDerived']).toBe(true);
      } else expect(samples[0].references['dataset']).toBe('IIIT5K');
      expect(await imageBytes(samples[1])).toEqual(imgs[1]);
    });
  }
});

describe('MMMU', () => {
  const mc = {
    id: 'validation_Art_Theory_1',
    question: '<image 1> <image 2> Who painted this?',
    options: "['Monet', 'Manet', \"Degas' student\", 'Renoir']",
    answer: 'B',
    type: 'multiple-choice',
  };
  const open1 = { id: 'validation_Math_3', question: '<image 1> Compute the sum.', options: '[]', answer: "['24/7', '3.429']", type: 'open' };
  let imgs: Buffer[];
  beforeAll(async () => {
    imgs = [await pngImage(10), await pngImage(11), await pngImage(12)];
    const dir = join(root, 'mmmu');
    const columns = [
      { name: 'id', kind: 'string' },
      { name: 'question', kind: 'string' },
      { name: 'options', kind: 'string' },
      { name: 'explanation', kind: 'string' },
      { name: 'image_1', kind: 'image' },
      { name: 'image_2', kind: 'image' },
      { name: 'image_3', kind: 'image' },
      { name: 'image_4', kind: 'image' },
      { name: 'image_5', kind: 'image' },
      { name: 'image_6', kind: 'image' },
      { name: 'image_7', kind: 'image' },
      { name: 'img_type', kind: 'string' },
      { name: 'answer', kind: 'string' },
      { name: 'topic_difficulty', kind: 'string' },
      { name: 'question_type', kind: 'string' },
      { name: 'subfield', kind: 'string' },
    ] as const;
    const row = (it: typeof mc, images: (Buffer | null)[]) => ({
      id: it.id,
      question: it.question,
      options: it.options,
      explanation: '',
      image_1: images[0] ?? null,
      image_2: images[1] ?? null,
      img_type: "['Paintings']",
      answer: it.answer,
      topic_difficulty: 'Easy',
      question_type: it.type,
      subfield: 'Art History',
    });
    // lmms-lab/MMMU: data/<split>-*.parquet; MMMU/MMMU (official): <Subject>/<split>-*.parquet.
    await writeParquet(join(dir, 'hf', 'data', 'validation-00000-of-00001.parquet'), columns, [row(mc, [imgs[0], imgs[1]]), row(open1, [imgs[2]])]);
    await writeParquet(join(dir, 'hf', 'data', 'dev-00000-of-00001.parquet'), columns, [row({ ...mc, id: 'dev_Art_Theory_1' }, [imgs[0]])]);
    await writeParquet(join(dir, 'official', 'Art_Theory', 'validation-00000-of-00001.parquet'), columns, [row(mc, [imgs[0], imgs[1]])]);
    await writeParquet(join(dir, 'official', 'Math', 'validation-00000-of-00001.parquet'), columns, [row(open1, [imgs[2]])]);
    await writeTsv(
      join(dir, 'tsv', 'MMMU_DEV_VAL.tsv'),
      ['index', 'question', 'A', 'B', 'C', 'D', 'answer', 'category', 'id', 'split', 'image'],
      [
        { index: 0, question: mc.question, A: 'dev option', B: 'other', answer: 'A', id: 'dev_Art_Theory_1', split: 'dev', image: imgs[0] },
        { index: 1, question: mc.question, A: 'Monet', B: 'Manet', C: "Degas' student", D: 'Renoir', answer: 'B', id: mc.id, split: 'validation', image: [imgs[0], imgs[1]] },
        { index: 2, question: open1.question, answer: open1.answer, category: 'Math', split: 'validation', image: imgs[2] },
      ],
    );
  });

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv'], ['official', 'official']] as const) {
    it(`reads the ${source} layout, keeping the first of several images`, async () => {
      const ds = await open('mmmu', source, join(root, 'mmmu', sub));
      expect(await ds.count()).toBe(2);
      const samples = samplesOnly(await collect(ds));
      expect(samples).toHaveLength(2);
      await checkCommon('mmmu', samples);
      const [first, second] = samples;
      expect(first.prompt).toEqual({ bench: 'mmmu', question: mc.question, questionType: 'multiple-choice', options: ['Monet', 'Manet', "Degas' student", 'Renoir'] });
      expect(first.references).toMatchObject({ question_type: 'multiple-choice', answer: 'B', options: ['Monet', 'Manet', "Degas' student", 'Renoir'] });
      expect(first.categories).toEqual({ subject: 'Art_Theory', discipline: 'Art & Design' });
      expect(second.categories['subject']).toBe('Math');
      expect(second.references).toMatchObject({ question_type: 'open', answer: "['24/7', '3.429']", options: [] });
      // CogVLM2 takes one image: the first; the item is counted.
      expect(first.images).toHaveLength(1);
      expect(await imageBytes(first)).toEqual(imgs[0]);
      expect(first.extra['imageCount']).toBe(2);
      expect(second.extra['imageCount']).toBeUndefined();
      expect(ds.stats()).toEqual({ items: 2, samples: 2, failures: 0, multiImageItems: 1, droppedImages: 1 });
      if (source !== 'vlmevalkit') expect(samples.map((s) => s.id)).toEqual([mc.id, open1.id]);
    });
  }

  it('reads the dev split and keeps every image on request', async () => {
    const dev = samplesOnly(await collect(await open('mmmu', 'vlmevalkit', join(root, 'mmmu', 'tsv'), { split: 'dev' })));
    expect(dev.map((s) => s.references['answer'])).toEqual(['A']);
    const all = await openDataset({ bench: 'mmmu', source: 'hf', dataDir: join(root, 'mmmu', 'hf'), imagePolicy: 'all' });
    const samples = samplesOnly(await collect(all));
    expect(samples[0].images).toHaveLength(2);
    expect(Buffer.from(await samples[0].images[1].bytes())).toEqual(imgs[1]);
  });
});

describe('MM-Vet', () => {
  const items = [
    { key: 'v1_0', q: 'What is x in the equation?', a: '-1<AND>-5', caps: ['ocr', 'math'], img: 'v1_0.png' },
    { key: 'v1_1', q: 'What is d in the last equation?', a: '1.25=5/4', caps: ['ocr', 'math'], img: 'v1_1.png' },
  ];
  let imgs: Buffer[];
  beforeAll(async () => {
    imgs = [await pngImage(13), await pngImage(14)];
    const dir = join(root, 'mmvet');
    await writeParquet(
      join(dir, 'hf', 'data', 'test-00000-of-00001.parquet'),
      [
        { name: 'question_id', kind: 'string' },
        { name: 'image', kind: 'image' },
        { name: 'question', kind: 'string' },
        { name: 'answer', kind: 'string' },
        { name: 'image_source', kind: 'string' },
        { name: 'capability', kind: 'string' },
      ],
      items.map((it, i) => ({ question_id: it.key, image: imgs[i], question: it.q, answer: it.a, image_source: 'web', capability: it.caps.join(',') })),
    );
    await writeTsv(
      join(dir, 'tsv', 'MMVet.tsv'),
      ['index', 'image', 'question', 'answer', 'category'],
      items.map((it, i) => ({ index: i, image: imgs[i], question: it.q, answer: it.a, category: it.caps.join(',') })),
    );
    await writeJson(
      join(dir, 'official', 'mm-vet', 'mm-vet.json'),
      Object.fromEntries(items.map((it) => [it.key, { imagename: it.img, question: it.q, answer: it.a, capability: it.caps }])),
    );
    for (const [i, it] of items.entries()) await writeImage(join(dir, 'official', 'mm-vet', 'images', it.img), imgs[i]);
  });

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv'], ['official', 'official']] as const) {
    it(`reads the ${source} layout`, async () => {
      const samples = samplesOnly(await collect(await open('mmvet', source, join(root, 'mmvet', sub))));
      expect(samples).toHaveLength(2);
      await checkCommon('mmvet', samples);
      expect(samples.map((s) => s.id)).toEqual(source === 'vlmevalkit' ? ['0', '1'] : ['v1_0', 'v1_1']);
      expect(samples[0].references['question']).toBe(items[0].q);
      expect(samples[0].references['answer']).toBe('-1<AND>-5');
      expect(samples[0].categories).toEqual({ capability: ['ocr', 'math'] });
      expect(await imageBytes(samples[1])).toEqual(imgs[1]);
    });
  }
});

describe('MMBench', () => {
  let imgs: Buffer[];
  const header = ['index', 'question', 'hint', 'A', 'B', 'C', 'D', 'answer', 'category', 'image', 'source', 'l2-category', 'comment', 'split'];
  beforeAll(async () => {
    imgs = [await pngImage(15), await pngImage(16), await pngImage(17)];
    const dir = join(root, 'mmbench');
    type Row = Record<string, string | number | null>;
    const main: Row = { index: 241, question: 'Which is the main persuasive appeal?', hint: 'Look at the ad.\nIt\t"sells" shoes.', A: 'ethos', B: 'pathos', C: 'logos', D: null, answer: 'A', category: 'image_scene', 'l2-category': 'coarse_perception', split: 'dev', source: 'scienceqa', comment: null };
    const other: Row = { index: 242, question: 'What is shown?', hint: null, A: 'a cat', B: 'None', C: 'a dog', D: 'a bird', answer: 'C', category: 'image_topic', 'l2-category': 'coarse_perception', split: 'dev', source: 'x', comment: null };
    // A circular copy before its main row: its image cell names the main row's index.
    const copy: Row = { ...main, index: 1000241, A: 'pathos', B: 'logos', C: 'ethos', answer: 'C' };
    const tsvRows = [
      { ...copy, image: '241' },
      { ...main, image: imgs[0] },
      { ...other, image: imgs[1] },
    ];
    await writeTsv(join(dir, 'tsv', 'MMBench_DEV_EN.tsv'), header, tsvRows);
    await writeTsv(join(dir, 'tsv', 'MMBench_DEV_CN.tsv'), header, [{ ...other, question: '图中是什么？', image: imgs[2] }]);
    await writeTsv(join(dir, 'official', 'mmbench_dev_20230712.tsv'), header, tsvRows);
    const columns = [
      { name: 'index', kind: 'int64' },
      { name: 'question', kind: 'string' },
      { name: 'hint', kind: 'string' },
      { name: 'answer', kind: 'string' },
      { name: 'A', kind: 'string' },
      { name: 'B', kind: 'string' },
      { name: 'C', kind: 'string' },
      { name: 'D', kind: 'string' },
      { name: 'category', kind: 'string' },
      { name: 'image', kind: 'image' },
      { name: 'source', kind: 'string' },
      { name: 'L2-category', kind: 'string' },
      { name: 'comment', kind: 'string' },
      { name: 'split', kind: 'string' },
    ] as const;
    const hfRow = (r: Row, image: Buffer) => ({ ...r, 'L2-category': r['l2-category'], image, D: r.D ?? 'nan', hint: r.hint ?? 'nan' });
    await writeParquet(join(dir, 'hf', 'en', 'dev-00000-of-00001.parquet'), columns, [hfRow(copy, imgs[0]), hfRow(main, imgs[0]), hfRow(other, imgs[1])]);
    await writeParquet(join(dir, 'hf', 'cn', 'dev-00000-of-00001.parquet'), columns, [hfRow({ ...other, question: '图中是什么？' }, imgs[2])]);
    await writeParquet(join(dir, 'hf', 'en', 'test-00000-of-00001.parquet'), columns, [{ ...hfRow(main, imgs[0]), answer: null, split: 'test' }]);
  });

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv'], ['official', 'official']] as const) {
    it(`reads the ${source} layout (dev, en) with circular copies`, async () => {
      const samples = samplesOnly(await collect(await open('mmbench', source, join(root, 'mmbench', sub))));
      expect(samples).toHaveLength(3);
      await checkCommon('mmbench', samples);
      expect(samples.map((s) => s.id)).toEqual(['1000241', '241', '242']);
      const [copy, main, other] = samples;
      expect(main.references).toMatchObject({ index: 241, answer: 'A', A: 'ethos', B: 'pathos', C: 'logos', category: 'image_scene', 'l2-category': 'coarse_perception' });
      expect(main.prompt).toMatchObject({ bench: 'mmbench', question: 'Which is the main persuasive appeal?', hint: 'Look at the ad.\nIt\t"sells" shoes.' });
      expect(copy.references).toMatchObject({ index: 1000241, answer: 'C', A: 'pathos' });
      // The copy's image is the main row's image (VLMEvalKit's image-by-index cell in the TSV).
      expect(await imageBytes(copy)).toEqual(imgs[0]);
      expect(await imageBytes(other)).toEqual(imgs[1]);
      if (source === 'hf') {
        expect(main.references['D']).toBe('nan');
        expect(other.references['hint']).toBe('nan');
      } else {
        // pandas reads an empty cell, and the text "None", as NaN.
        expect(main.references['D']).toBeNull();
        expect(other.references['B']).toBeNull();
        expect(other.references['hint']).toBeNull();
      }
      expect(main.categories).toEqual({ category: 'image_scene', 'l2-category': 'coarse_perception' });
    });
  }

  for (const [source, sub] of [['hf', 'hf'], ['vlmevalkit', 'tsv']] as const) {
    it(`reads the Chinese config from the ${source} layout`, async () => {
      const ds = await open('mmbench', source, join(root, 'mmbench', sub), { config: 'cn' });
      expect(ds.config).toBe('cn');
      const samples = samplesOnly(await collect(ds));
      expect(samples.map((s) => s.question)).toEqual(['图中是什么？']);
      await checkCommon('mmbench', samples);
    });
  }

  it('reads the test split without answers', async () => {
    const ds = await open('mmbench', 'hf', join(root, 'mmbench', 'hf'), { split: 'test' });
    expect(ds.hasAnswers).toBe(false);
    const [s] = samplesOnly(await collect(ds));
    expect(s.references['answer']).toBeUndefined();
    expect(s.extra['hasAnswers']).toBe(false);
  });
});
