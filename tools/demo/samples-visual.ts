// Demo rows for the chart and multiple-choice benchmarks (ChartQA, MMMU, MM-Vet, MMBench): charts,
// diagrams and scenes drawn from the numbers and facts the references state.
import type { Cell, Column } from './hf-parquet-writer.js';
import type { DemoTable } from './samples-text.js';
import { barChart, circle, line, lines, MONO, polygon, polyline, rect, renderPng, SANS, SERIF, svg, text } from './svg.js';

const img = (bytes: Uint8Array, path: string) => ({ bytes, path });

// ---------------------------------------------------------------- ChartQA

function lineChart(): string {
  const pts: [string, number][] = [['Jan', 30], ['Feb', 42], ['Mar', 38], ['Apr', 55]];
  const left = 70;
  const bottom = 320;
  const top = 80;
  const max = 60;
  let body = text(256, 40, 'Museum visitors (thousands)', { size: 20, weight: 'bold', anchor: 'middle' });
  body += line(left, top - 10, left, bottom) + line(left, bottom, 480, bottom);
  for (let t = 0; t <= max; t += 20) {
    const y = bottom - (t / max) * (bottom - top);
    body += line(left - 5, y, left, y, '#111', 1) + text(left - 9, y + 5, String(t), { size: 13, anchor: 'end', fill: '#444' });
  }
  const xy = pts.map(([, v], i): [number, number] => [left + 50 + i * 110, bottom - (v / max) * (bottom - top)]);
  body += polyline(xy, '#c62828', 4);
  pts.forEach(([label, v], i) => {
    const [x, y] = xy[i];
    body += circle(x, y, 6, '#c62828') + text(x, y - 14, String(v), { size: 16, weight: 'bold', anchor: 'middle' }) + text(x, bottom + 26, label, { size: 16, anchor: 'middle' });
  });
  return svg(512, 384, body);
}

function horizontalBars(): string {
  const items: [string, number][] = [['Car', 46], ['Bus', 22], ['Bike', 18], ['Walk', 14]];
  let body = text(256, 40, 'Preferred transport (%)', { size: 20, weight: 'bold', anchor: 'middle' });
  const left = 100;
  body += line(left, 70, left, 340);
  items.forEach(([label, v], i) => {
    const y = 85 + i * 62;
    const w = v * 7;
    body += text(left - 10, y + 27, label, { size: 17, anchor: 'end' }) + rect(left, y, w, 40, '#2e7d32') + text(left + w + 8, y + 27, `${v}%`, { size: 17, weight: 'bold' });
  });
  return svg(512, 384, body);
}

function groupedBars(): string {
  const left = 70;
  const bottom = 320;
  const top = 80;
  const max = 60;
  let body = text(256, 36, 'Orders by region', { size: 20, weight: 'bold', anchor: 'middle' });
  body += rect(330, 52, 14, 14, '#1565c0') + text(350, 64, '2022', { size: 14 }) + rect(400, 52, 14, 14, '#ef6c00') + text(420, 64, '2023', { size: 14 });
  body += line(left, top - 10, left, bottom) + line(left, bottom, 480, bottom);
  const groups: [string, number, number][] = [['North', 40, 52], ['South', 35, 30]];
  groups.forEach(([label, a, b], g) => {
    const x0 = left + 60 + g * 190;
    for (const [k, v, color] of [[0, a, '#1565c0'], [1, b, '#ef6c00']] as [number, number, string][]) {
      const x = x0 + k * 62;
      const h = (v / max) * (bottom - top);
      body += rect(x, bottom - h, 52, h, color) + text(x + 26, bottom - h - 8, String(v), { size: 16, weight: 'bold', anchor: 'middle' });
    }
    body += text(x0 + 57, bottom + 26, label, { size: 16, anchor: 'middle' });
  });
  return svg(512, 384, body);
}

export async function chartqaTable(): Promise<DemoTable> {
  const sales = await renderPng(barChart('Annual sales (million $)', [{ label: '2018', value: 12 }, { label: '2019', value: 18 }, { label: '2020', value: 9 }, { label: '2021', value: 15 }], { max: 20 }), 32);
  const visitors = await renderPng(lineChart(), 32);
  const transport = await renderPng(horizontalBars(), 32);
  const regions = await renderPng(groupedBars(), 32);
  const items: [string, Uint8Array, string, string, string][] = [
    ['human_test', sales, 'sales', 'Which year had the highest sales?', '2019'],
    ['human_test', visitors, 'visitors', 'What is the difference between the visitors in April and January?', '25'],
    ['human_test', transport, 'transport', 'What is the sum of the Bike and Walk percentages?', '32'],
    ['human_test', regions, 'regions', 'In which region did the orders decrease from 2022 to 2023?', 'South'],
    ['augmented_test', sales, 'sales', 'What is the value for 2020?', '9'],
    ['augmented_test', visitors, 'visitors', 'How many visitors were there in April?', '55'],
    ['augmented_test', transport, 'transport', 'What percentage prefer the bus?', '22'],
    ['augmented_test', regions, 'regions', 'What is the 2023 value for North?', '52'],
  ];
  const columns: Column[] = [
    { name: 'type', type: 'string' },
    { name: 'question', type: 'string' },
    { name: 'answer', type: 'string' },
    { name: 'image', type: 'image' },
  ];
  const rows = items.map(([type, bytes, name, question, answer]): Record<string, Cell> => ({ type, question, answer, image: img(bytes, `demo_chart_${name}.png`) }));
  return { path: 'data/test-00000-of-00001.parquet', columns, rows };
}

// ---------------------------------------------------------------- MMMU

function triangle(): string {
  return svg(448, 336, polygon([[90, 280], [370, 280], [90, 70]], '#e3f2fd', '#0d47a1', 4) + rect(90, 256, 24, 24, 'none', '#0d47a1', 2) + text(230, 312, '4', { size: 26, anchor: 'middle' }) + text(62, 185, '3', { size: 26, anchor: 'middle' }) + text(250, 160, '?', { size: 30, weight: 'bold', anchor: 'middle', fill: '#c62828' }));
}

function code(): string {
  return svg(448, 240, rect(20, 20, 408, 200, '#263238', 'none', 0, 8) + lines(44, 80, ['x = 2 ** 5', 'print(x + 1)'], { size: 26, family: MONO, fill: '#e0f2f1', gap: 50 }), '#eceff1');
}

function water(): string {
  return svg(448, 300, text(224, 90, 'H\u2082O', { size: 64, weight: 'bold', anchor: 'middle', family: SERIF }) + circle(224, 200, 34, '#e53935') + text(224, 210, 'O', { size: 28, weight: 'bold', fill: '#fff', anchor: 'middle' }) + line(196, 218, 150, 250, '#555', 6) + line(252, 218, 298, 250, '#555', 6) + circle(140, 258, 22, '#eeeeee', '#555', 3) + circle(308, 258, 22, '#eeeeee', '#555', 3) + text(140, 266, 'H', { size: 22, weight: 'bold', anchor: 'middle' }) + text(308, 266, 'H', { size: 22, weight: 'bold', anchor: 'middle' }));
}

function compass(): string {
  return svg(448, 336, circle(224, 168, 130, '#f1f8e9', '#33691e', 3) + text(224, 62, 'N', { size: 30, weight: 'bold', anchor: 'middle' }) + text(224, 298, 'S', { size: 24, anchor: 'middle' }) + text(118, 176, 'W', { size: 24, anchor: 'middle' }) + text(330, 176, 'E', { size: 24, anchor: 'middle' }) + line(170, 168, 282, 168, '#c62828', 10) + polygon([[300, 168], [272, 148], [272, 188]], '#c62828'));
}

function demandTable(): string {
  return svg(448, 300, text(224, 44, 'Demand schedule', { size: 22, weight: 'bold', anchor: 'middle' }) + rect(74, 70, 300, 40, '#e8eaf6', '#333', 1) + text(150, 97, 'Price', { size: 18, weight: 'bold', anchor: 'middle' }) + text(300, 97, 'Quantity', { size: 18, weight: 'bold', anchor: 'middle' }) + [['$2', '100'], ['$4', '60'], ['$6', '20']].map(([p, q], i) => rect(74, 110 + i * 44, 300, 44, '#fff', '#333', 1) + text(150, 140 + i * 44, p, { size: 18, anchor: 'middle' }) + text(300, 140 + i * 44, q, { size: 18, anchor: 'middle' })).join(''));
}

function halfSquare(): string {
  return svg(336, 336, rect(68, 68, 100, 200, '#7e57c2') + rect(68, 68, 200, 200, 'none', '#311b92', 5) + line(168, 68, 168, 268, '#311b92', 3));
}

function ledger(): string {
  return svg(448, 300, text(224, 44, 'Balance sheet (assets)', { size: 22, weight: 'bold', anchor: 'middle' }) + [['Cash', '$1,200'], ['Inventory', '$800'], ['Equipment', '$2,000']].map(([a, v], i) => text(80, 100 + i * 42, a, { size: 19 }) + text(370, 100 + i * 42, v, { size: 19, anchor: 'end' })).join('') + line(80, 222, 370, 222, '#333', 2) + text(80, 256, 'Total assets', { size: 19, weight: 'bold' }) + text(370, 256, '?', { size: 19, weight: 'bold', anchor: 'end' }));
}

function shape(kind: 'triangle' | 'square'): string {
  const body = kind === 'triangle' ? polygon([[168, 50], [290, 270], [46, 270]], '#ffcc80', '#e65100', 5) : rect(68, 68, 200, 200, '#a5d6a7', '#1b5e20', 5);
  return svg(336, 336, body);
}

export async function mmmuTable(): Promise<DemoTable> {
  const columns: Column[] = [
    { name: 'id', type: 'string' },
    { name: 'question', type: 'string' },
    { name: 'options', type: 'string' },
    { name: 'explanation', type: 'string' },
    ...[1, 2, 3, 4, 5, 6, 7].map((k): Column => ({ name: `image_${k}`, type: 'image' })),
    { name: 'img_type', type: 'string' },
    { name: 'answer', type: 'string' },
    { name: 'topic_difficulty', type: 'string' },
    { name: 'question_type', type: 'string' },
    { name: 'subfield', type: 'string' },
  ];
  interface Item { id: string; question: string; options: string[]; images: string[]; imgType: string; answer: string; type: 'multiple-choice' | 'open'; subfield: string }
  const items: Item[] = [
    { id: 'validation_Math_1', question: '<image 1> What is the length of the hypotenuse of the right triangle shown?', options: ['5', '6', '7', '12'], images: [triangle()], imgType: "['Diagrams']", answer: 'A', type: 'multiple-choice', subfield: 'Geometry' },
    { id: 'validation_Computer_Science_1', question: '<image 1> What does this Python program print?', options: [], images: [code()], imgType: "['Screenshots']", answer: '33', type: 'open', subfield: 'Programming' },
    { id: 'validation_Chemistry_1', question: '<image 1> Which substance does the formula in the image describe?', options: ['Water', 'Ammonia', 'Methane', 'Carbon dioxide'], images: [water()], imgType: "['Chemical Structures']", answer: 'A', type: 'multiple-choice', subfield: 'Inorganic Chemistry' },
    { id: 'validation_Geography_1', question: '<image 1> In which direction does the red arrow point?', options: ['North', 'South', 'East', 'West'], images: [compass()], imgType: "['Maps']", answer: 'C', type: 'multiple-choice', subfield: 'Physical Geography' },
    { id: 'validation_Economics_1', question: '<image 1> According to the demand schedule, how many units are demanded at a price of $4?', options: ['20', '60', '100', '140'], images: [demandTable()], imgType: "['Tables']", answer: 'B', type: 'multiple-choice', subfield: 'Microeconomics' },
    { id: 'validation_Math_2', question: '<image 1> What fraction of the square is shaded?', options: [], images: [halfSquare()], imgType: "['Diagrams']", answer: "['1/2', '0.5']", type: 'open', subfield: 'Arithmetic' },
    { id: 'validation_Accounting_1', question: '<image 1> What are the total assets in dollars?', options: [], images: [ledger()], imgType: "['Tables']", answer: '4000', type: 'open', subfield: 'Financial Accounting' },
    { id: 'validation_Math_3', question: 'How many sides do the shapes in <image 1> and <image 2> have in total?', options: ['5', '6', '7', '8'], images: [shape('triangle'), shape('square')], imgType: "['Diagrams']", answer: 'C', type: 'multiple-choice', subfield: 'Geometry' },
  ];
  const rows: Record<string, Cell>[] = [];
  for (const it of items) {
    const row: Record<string, Cell> = {
      id: it.id,
      question: it.question,
      // A Python list literal, as in the HF data (str(list) of the option strings).
      options: `[${it.options.map((o) => `'${o}'`).join(', ')}]`,
      explanation: '',
      img_type: it.imgType,
      answer: it.answer,
      topic_difficulty: 'Easy',
      question_type: it.type,
      subfield: it.subfield,
    };
    for (let k = 1; k <= 7; k++) row[`image_${k}`] = k <= it.images.length ? img(await renderPng(it.images[k - 1], 32), `${it.id}_${k}.png`) : null;
    rows.push(row);
  }
  return { path: 'data/validation-00000-of-00001.parquet', columns, rows };
}

// ---------------------------------------------------------------- MM-Vet

function clock(): string {
  let body = circle(224, 168, 130, '#ffffff', '#212121', 6);
  for (let h = 1; h <= 12; h++) {
    const a = (h / 12) * 2 * Math.PI;
    body += text(Math.round(224 + 105 * Math.sin(a)), Math.round(168 - 105 * Math.cos(a) + 9), String(h), { size: 24, anchor: 'middle' });
  }
  // 3:00 — hour hand to 3, minute hand to 12.
  body += line(224, 168, 300, 168, '#212121', 10) + line(224, 168, 224, 62, '#212121', 6) + circle(224, 168, 8, '#212121');
  return svg(448, 336, body, '#eceff1');
}

export async function mmvetTable(): Promise<DemoTable> {
  const stop = svg(448, 336, rect(216, 200, 16, 136, '#757575') + polygon([[174, 40], [274, 40], [344, 110], [344, 190], [274, 260], [174, 260], [104, 190], [104, 110]], '#c62828', '#ffffff', 6) + text(224, 172, 'STOP', { size: 60, weight: 'bold', fill: '#ffffff', anchor: 'middle' }), '#b3e5fc');
  const receipt = svg(360, 300, text(180, 44, 'CAFE LUNA', { size: 24, weight: 'bold', anchor: 'middle', family: MONO }) + [['Coffee', '3.50'], ['Muffin', '2.75'], ['Juice', '4.25']].map(([a, b], i) => text(40, 110 + i * 40, a, { size: 20, family: MONO }) + text(320, 110 + i * 40, b, { size: 20, family: MONO, anchor: 'end' })).join(''), '#fffef5');
  const circles = svg(448, 336, circle(90, 110, 40, '#1e88e5') + circle(230, 230, 40, '#1e88e5') + circle(360, 100, 40, '#1e88e5') + rect(300, 200, 80, 80, '#43a047') + rect(60, 210, 80, 80, '#43a047'));
  const spatial = svg(448, 336, rect(70, 118, 110, 110, '#8e24aa') + polygon([[320, 108], [390, 228], [250, 228]], '#fb8c00'));
  const equation = svg(448, 200, text(224, 120, '7 + 8 = ?', { size: 64, anchor: 'middle', family: SANS }));
  const twoBars = svg(448, 336, line(60, 300, 400, 300) + rect(110, 120, 80, 180, '#e53935') + rect(260, 180, 80, 120, '#1e88e5'));
  const wetFloor = svg(448, 336, polygon([[224, 40], [330, 300], [118, 300]], '#fdd835', '#212121', 6) + text(224, 200, '!', { size: 90, weight: 'bold', anchor: 'middle' }) + text(224, 262, 'WET FLOOR', { size: 24, weight: 'bold', anchor: 'middle' }), '#e0e0e0');
  const items: [string, string, string, string][] = [
    [stop, 'What is written on the sign?', 'STOP', 'ocr,rec'],
    [receipt, 'How much do the three items cost in total?', '10.5<OR>10.50<OR>$10.50', 'ocr,math'],
    [circles, 'How many circles are there in the image?', '3', 'rec'],
    [spatial, 'What shape is to the left of the triangle?', 'square', 'rec,spat'],
    [clock(), 'What time does the clock show?', "3:00<OR>3 o'clock<OR>three o'clock", 'rec,know'],
    [equation, 'What is the answer to the equation in the image?', '15', 'ocr,math'],
    [twoBars, 'Which two colors are the bars?', 'red<AND>blue', 'rec'],
    [wetFloor, 'What should a person do when they see this sign? Answer in one sentence.', 'Walk carefully, because the floor is wet and may be slippery.', 'rec,ocr,gen'],
  ];
  const columns: Column[] = [
    { name: 'question_id', type: 'string' },
    { name: 'image', type: 'image' },
    { name: 'question', type: 'string' },
    { name: 'answer', type: 'string' },
    { name: 'image_source', type: 'string' },
    { name: 'capability', type: 'string' },
  ];
  const rows: Record<string, Cell>[] = [];
  for (const [i, [s, question, answer, capability]] of items.entries()) {
    rows.push({ question_id: `v1_${i}`, image: img(await renderPng(s, 32), `v1_${i}.png`), question, answer, image_source: 'cogeval-demo', capability });
  }
  return { path: 'data/test-00000-of-00001.parquet', columns, rows };
}

// ---------------------------------------------------------------- MMBench

interface McQuestion {
  index: number;
  svg: string;
  question: string;
  hint: string | null;
  options: string[];
  answer: number;
  category: string;
  l2: string;
  /** How many rotated circular copies follow the main row (0 = main row only). */
  copies: number;
}

const LETTERS = ['A', 'B', 'C', 'D'];

function mmbenchQuestions(): McQuestion[] {
  const shapes = svg(448, 336, rect(40, 120, 90, 90, '#e53935') + circle(224, 165, 48, '#43a047') + polygon([[360, 115], [410, 210], [310, 210]], '#1e88e5'));
  const stack = svg(448, 336, polygon([[224, 40], [284, 140], [164, 140]], '#fb8c00') + rect(164, 170, 120, 120, '#5e35b1'));
  const shop = svg(512, 384, rect(0, 0, 512, 384, '#cfd8dc') + rect(50, 80, 412, 90, '#004d40', '#00251a', 4, 6) + text(256, 142, 'BOOKSTORE', { size: 50, weight: 'bold', fill: '#ffffff', anchor: 'middle' }) + rect(90, 200, 150, 184, '#795548') + rect(280, 200, 150, 130, '#e1f5fe', '#37474f', 3));
  const fruit = svg(448, 256, rect(74, 50, 300, 44, '#fff3e0', '#333', 1) + text(150, 79, 'Fruit', { size: 19, weight: 'bold', anchor: 'middle' }) + text(300, 79, 'Count', { size: 19, weight: 'bold', anchor: 'middle' }) + [['Apples', '5'], ['Pears', '3']].map(([a, b], i) => rect(74, 94 + i * 44, 300, 44, '#fff', '#333', 1) + text(150, 123 + i * 44, a, { size: 19, anchor: 'middle' }) + text(300, 123 + i * 44, b, { size: 19, anchor: 'middle' })).join(''));
  let night = rect(0, 0, 512, 384, '#0b1d3a') + circle(400, 90, 44, '#fff9c4') + circle(420, 78, 40, '#0b1d3a') + rect(0, 300, 512, 84, '#1b2a1b');
  for (const [x, y] of [[60, 60], [140, 110], [220, 50], [300, 130], [90, 180], [250, 200], [180, 240], [340, 220]]) night += circle(x, y, 3, '#ffffff');
  return [
    { index: 0, svg: shapes, question: 'What color is the circle?', hint: null, options: ['red', 'green', 'blue', 'yellow'], answer: 1, category: 'attribute_recognition', l2: 'finegrained_perception (instance-level)', copies: 3 },
    { index: 1, svg: stack, question: 'Which shape is above the square?', hint: null, options: ['triangle', 'circle'], answer: 0, category: 'spatial_relationship', l2: 'finegrained_perception (cross-instance)', copies: 1 },
    { index: 2, svg: shop, question: 'What kind of shop is shown?', hint: 'The photo was taken in a shopping street.', options: ['Bakery', 'Bookstore', 'Pharmacy'], answer: 1, category: 'ocr', l2: 'finegrained_perception (instance-level)', copies: 2 },
    { index: 3, svg: fruit, question: 'According to the table, which fruit has the larger count?', hint: 'nan', options: ['Pears', 'Apples', 'They are equal', 'The table shows no fruit'], answer: 1, category: 'structuralized_imagetext_understanding', l2: 'logic_reasoning', copies: 0 },
    { index: 4, svg: svg(512, 384, night), question: 'What time of day does the image show?', hint: null, options: ['Morning', 'Noon', 'Night', 'Afternoon'], answer: 2, category: 'image_scene', l2: 'coarse_perception', copies: 0 },
  ];
}

export async function mmbenchTable(): Promise<DemoTable> {
  const columns: Column[] = [
    { name: 'index', type: 'int64' },
    { name: 'question', type: 'string' },
    { name: 'hint', type: 'string' },
    { name: 'answer', type: 'string' },
    { name: 'A', type: 'string' },
    { name: 'B', type: 'string' },
    { name: 'C', type: 'string' },
    { name: 'D', type: 'string' },
    { name: 'category', type: 'string' },
    { name: 'image', type: 'image' },
    { name: 'source', type: 'string' },
    { name: 'L2-category', type: 'string' },
    { name: 'comment', type: 'string' },
    { name: 'split', type: 'string' },
  ];
  const mains = mmbenchQuestions();
  const rendered = new Map<number, Uint8Array>();
  for (const q of mains) rendered.set(q.index, await renderPng(q.svg, 32));
  const row = (q: McQuestion, k: number): Record<string, Cell> => {
    const n = q.options.length;
    // Circular copy k: options rotated k places (A takes the option that was k letters later).
    const opts = q.options.map((_, i) => q.options[(i + k) % n]);
    const answer = LETTERS[(q.answer - k + n) % n];
    if (opts[LETTERS.indexOf(answer)] !== q.options[q.answer]) throw new Error(`mmbench demo ${q.index}: rotation broke the answer`);
    const r: Record<string, Cell> = {
      index: BigInt(q.index + k * 1_000_000),
      question: q.question,
      hint: q.hint,
      answer,
      category: q.category,
      image: img(rendered.get(q.index) as Uint8Array, `demo_mmbench_${q.index}.png`),
      source: 'cogeval-demo',
      'L2-category': q.l2,
      comment: null,
      split: 'dev',
    };
    LETTERS.forEach((L, i) => (r[L] = i < n ? opts[i] : null));
    return r;
  };
  // Main rows first, then the circular copies in index order, as the dev split is ordered.
  const rows: Record<string, Cell>[] = mains.map((q) => row(q, 0));
  for (let k = 1; k <= 3; k++) for (const q of mains) if (q.copies >= k) rows.push(row(q, k));
  return { path: 'en/dev-00000-of-00001.parquet', columns, rows };
}
