// Demo rows for the text-reading benchmarks (TextVQA, DocVQA, OCRBench): the images are rendered
// from the very strings the references hold, so a model that reads them perfectly scores 100.
import type { Column, Cell } from './hf-parquet-writer.js';
import { circle, line, lines, MONO, MONO_ADVANCE, polygon, rect, renderPng, SERIF, svg, text } from './svg.js';

export interface DemoTable {
  /** Path inside the benchmark's demo folder, laid out like the HF repository. */
  path: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

const img = (bytes: Uint8Array, path: string) => ({ bytes, path });
const times = (n: number, s: string) => Array.from({ length: n }, () => s);

// ---------------------------------------------------------------- TextVQA

interface SceneText {
  svg: string;
  question: string;
  answers: string[];
  ocr: string[];
  classes: string[];
}

function signBoard(textValue: string, bg: string, fg: string, size: number, extra = ''): string {
  return svg(512, 384, `${rect(0, 0, 512, 384, '#cfe3f3')}${rect(0, 270, 512, 114, '#8a9a5b')}${extra}${rect(96, 110, 320, 130, bg, '#333', 6, 10)}${text(256, 175 + size / 3, textValue, { size, weight: 'bold', fill: fg, anchor: 'middle' })}`);
}

function textvqaScenes(): SceneText[] {
  return [
    { svg: signBoard('OPEN', '#ffffff', '#c62828', 72), question: 'what does the sign say?', answers: [...times(8, 'open'), 'open sign', 'open'], ocr: ['OPEN'], classes: ['Sign'] },
    { svg: signBoard('MAIN ST', '#1b7f3b', '#ffffff', 60, line(256, 240, 256, 384, '#666', 10)), question: 'what street is this?', answers: [...times(7, 'main st'), ...times(3, 'main street')], ocr: ['MAIN', 'ST'], classes: ['Street sign'] },
    {
      svg: svg(512, 384, `${rect(0, 0, 512, 384, '#f4efe6')}${polygon([[120, 120], [360, 120], [420, 192], [360, 264], [120, 264]], '#ffd54f', '#7a5c00', 4)}${circle(385, 192, 12, '#f4efe6', '#7a5c00', 3)}${text(230, 215, '$4.99', { size: 64, weight: 'bold', anchor: 'middle' })}`),
      question: 'how much does the item cost?',
      answers: [...times(6, '$4.99'), ...times(4, '4.99')],
      ocr: ['$4.99'],
      classes: ['Price tag'],
    },
    {
      svg: svg(512, 384, `${rect(0, 0, 512, 384, '#e8e8e8')}${polygon([[136, 60], [206, 40], [306, 40], [376, 60], [430, 140], [380, 170], [366, 130], [366, 360], [146, 360], [146, 130], [132, 170], [82, 140]], '#0d47a1', '#082b63', 4)}${text(256, 270, '23', { size: 120, weight: 'bold', fill: '#ffffff', anchor: 'middle' })}`),
      question: 'what number is on the shirt?',
      answers: times(10, '23'),
      ocr: ['23'],
      classes: ['Jersey'],
    },
    {
      svg: svg(512, 384, `${rect(0, 0, 512, 384, '#5d6d7e')}${rect(76, 122, 360, 140, '#fdfdfd', '#222', 6, 12)}${text(256, 150, 'CALIFORNIA', { size: 22, fill: '#b71c1c', anchor: 'middle', family: SERIF, style: 'italic' })}${text(256, 230, '7KXR392', { size: 70, weight: 'bold', fill: '#0d2a6b', anchor: 'middle', family: MONO })}`),
      question: 'what is the license plate number?',
      answers: times(10, '7kxr392'),
      ocr: ['CALIFORNIA', '7KXR392'],
      classes: ['License plate', 'Vehicle registration plate'],
    },
    {
      svg: svg(512, 384, `${rect(0, 0, 512, 384, '#fff8e1')}${rect(206, 30, 100, 40, '#9e9e9e')}${rect(166, 70, 180, 300, '#fff176', '#827717', 4, 30)}${rect(166, 170, 180, 100, '#ffffff')}${text(256, 229, 'LEMONADE', { size: 24, weight: 'bold', fill: '#33691e', anchor: 'middle' })}`),
      question: 'what drink is in the bottle?',
      answers: times(10, 'lemonade'),
      ocr: ['LEMONADE'],
      classes: ['Bottle'],
    },
    {
      svg: svg(512, 384, `${rect(0, 0, 512, 384, '#d7ccc8')}${rect(146, 24, 220, 336, '#1a237e', '#000', 3)}${text(256, 120, 'THE NIGHT', { size: 30, weight: 'bold', fill: '#ffe082', anchor: 'middle', family: SERIF })}${text(256, 160, 'GARDEN', { size: 30, weight: 'bold', fill: '#ffe082', anchor: 'middle', family: SERIF })}${circle(256, 250, 40, '#fff59d')}${text(256, 335, 'M. ALDEN', { size: 18, fill: '#ffffff', anchor: 'middle' })}`),
      question: 'what is the title of the book?',
      answers: [...times(8, 'the night garden'), ...times(2, 'night garden')],
      ocr: ['THE', 'NIGHT', 'GARDEN', 'M.', 'ALDEN'],
      classes: ['Book'],
    },
    {
      svg: svg(512, 384, `${rect(0, 0, 512, 384, '#b3e5fc')}${rect(40, 90, 432, 230, '#fbc02d', '#5d4037', 4, 18)}${rect(70, 110, 372, 70, '#111111')}${text(110, 162, '42', { size: 48, weight: 'bold', fill: '#ff9800', family: MONO })}${text(200, 160, 'AIRPORT', { size: 42, weight: 'bold', fill: '#ff9800', family: MONO })}${circle(130, 320, 30, '#333')}${circle(382, 320, 30, '#333')}`),
      question: 'what is the bus number?',
      answers: times(10, '42'),
      ocr: ['42', 'AIRPORT'],
      classes: ['Bus'],
    },
  ];
}

export async function textvqaTable(): Promise<DemoTable> {
  const columns: Column[] = [
    { name: 'image_id', type: 'string' },
    { name: 'question_id', type: 'int32' },
    { name: 'question', type: 'string' },
    { name: 'question_tokens', type: 'string_list' },
    { name: 'image', type: 'image' },
    { name: 'image_width', type: 'int32' },
    { name: 'image_height', type: 'int32' },
    { name: 'flickr_original_url', type: 'string' },
    { name: 'flickr_300k_url', type: 'string' },
    { name: 'answers', type: 'string_list' },
    { name: 'image_classes', type: 'string_list' },
    { name: 'set_name', type: 'string' },
    { name: 'ocr_tokens', type: 'string_list' },
  ];
  const rows: Record<string, Cell>[] = [];
  for (const [i, s] of textvqaScenes().entries()) {
    if (s.answers.length !== 10) throw new Error(`textvqa demo item ${i}: needs 10 answers`);
    const imageId = `demo${String(i + 1).padStart(12, '0')}`;
    rows.push({
      image_id: imageId,
      question_id: 900001 + i,
      question: s.question,
      question_tokens: s.question.replace(/\?$/, '').split(' '),
      image: img(await renderPng(s.svg), `${imageId}.png`),
      image_width: 512,
      image_height: 384,
      flickr_original_url: '',
      flickr_300k_url: '',
      answers: s.answers,
      image_classes: s.classes,
      set_name: 'val',
      ocr_tokens: s.ocr,
    });
  }
  return { path: 'data/validation-00000-of-00001.parquet', columns, rows };
}

// ---------------------------------------------------------------- DocVQA

function page(title: string, body: string): string {
  return svg(480, 640, `${rect(0, 0, 480, 640, '#fbfbf8')}${text(40, 70, title, { size: 26, weight: 'bold', family: SERIF })}${line(40, 84, 440, 84, '#444', 1.5)}${body}`, '#fbfbf8');
}

function docvqaPages(): { svg: string; docId: number; questions: { q: string; answers: string[]; types: string[] }[] }[] {
  const invoice = page(
    'ACME SUPPLY CO.',
    text(40, 130, 'INVOICE', { size: 22, weight: 'bold' }) +
      lines(40, 175, ['Invoice No: INV-2041', 'Date: March 14, 2023', 'Bill To: Harbor Labs'], { size: 17 }) +
      rect(40, 290, 400, 34, '#e0e0e0') +
      text(50, 313, 'Item', { size: 16, weight: 'bold' }) +
      text(260, 313, 'Qty', { size: 16, weight: 'bold' }) +
      text(430, 313, 'Amount', { size: 16, weight: 'bold', anchor: 'end' }) +
      text(50, 352, 'Paper A4', { size: 16 }) + text(270, 352, '10', { size: 16 }) + text(430, 352, '$45.00', { size: 16, anchor: 'end' }) +
      text(50, 386, 'Toner', { size: 16 }) + text(270, 386, '2', { size: 16 }) + text(430, 386, '$180.00', { size: 16, anchor: 'end' }) +
      line(40, 402, 440, 402, '#444', 1) +
      text(50, 432, 'Total', { size: 17, weight: 'bold' }) + text(430, 432, '$225.00', { size: 17, weight: 'bold', anchor: 'end' }),
  );
  const memo = page(
    'MEMORANDUM',
    lines(40, 135, ['TO: All Staff', 'FROM: Dana Whitfield', 'DATE: June 2, 2022', 'SUBJECT: Office Move'], { size: 18 }) +
      line(40, 235, 440, 235, '#888', 1) +
      lines(40, 275, ['The office will move to Building C', 'on July 1. Please pack your desks', 'by June 28.'], { size: 17 }),
  );
  const table = page(
    'Quarterly Sales (units)',
    rect(60, 130, 360, 38, '#dfe8f2') +
      text(80, 155, 'Quarter', { size: 17, weight: 'bold' }) + text(400, 155, 'Units', { size: 17, weight: 'bold', anchor: 'end' }) +
      [['Q1', '120'], ['Q2', '145'], ['Q3', '160'], ['Q4', '98']]
        .map(([q, u], i) => text(80, 200 + i * 36, q, { size: 17 }) + text(400, 200 + i * 36, u, { size: 17, anchor: 'end' }) + line(60, 212 + i * 36, 420, 212 + i * 36, '#ccc', 1))
        .join('') +
      text(60, 390, 'Source: regional sales office', { size: 14, fill: '#555', style: 'italic' }),
  );
  const letter = page(
    'Riverside Clinic',
    lines(40, 115, ['42 Elm Road, Springfield', 'Phone: 555-0187'], { size: 15, fill: '#333' }) +
      lines(40, 210, ['Dear Mr. Patel,', '', 'Your appointment is on Friday', 'at 10:30 AM. Please arrive ten', 'minutes early.', '', 'Sincerely,', 'Dr. Lena Ortiz'], { size: 17 }),
  );
  return [
    { svg: invoice, docId: 9001, questions: [{ q: 'What is the invoice number?', answers: ['INV-2041'], types: ['form'] }, { q: 'What is the total amount?', answers: ['$225.00', '225.00'], types: ['table/list'] }] },
    { svg: memo, docId: 9002, questions: [{ q: 'Who is the memo from?', answers: ['Dana Whitfield'], types: ['layout'] }, { q: 'To which building will the office move?', answers: ['Building C', 'C'], types: ['free_text'] }] },
    { svg: table, docId: 9003, questions: [{ q: 'What were the sales in Q3?', answers: ['160'], types: ['table/list'] }, { q: 'Which quarter had the lowest sales?', answers: ['Q4'], types: ['table/list'] }] },
    { svg: letter, docId: 9004, questions: [{ q: 'What is the phone number of the clinic?', answers: ['555-0187'], types: ['layout'] }, { q: 'At what time is the appointment?', answers: ['10:30 AM', '10:30'], types: ['free_text'] }] },
  ];
}

export async function docvqaTable(): Promise<DemoTable> {
  const columns: Column[] = [
    { name: 'questionId', type: 'string' },
    { name: 'question', type: 'string' },
    { name: 'question_types', type: 'string_list' },
    { name: 'image', type: 'image' },
    { name: 'docId', type: 'int64' },
    { name: 'ucsf_document_id', type: 'string' },
    { name: 'ucsf_document_page_no', type: 'string' },
    { name: 'answers', type: 'string_list' },
    { name: 'data_split', type: 'string' },
  ];
  const rows: Record<string, Cell>[] = [];
  let qid = 90001;
  for (const p of docvqaPages()) {
    const bytes = await renderPng(p.svg, 32);
    for (const q of p.questions) {
      rows.push({
        questionId: String(qid++),
        question: q.q,
        question_types: q.types,
        image: img(bytes, `demo_doc_${p.docId}.png`),
        docId: BigInt(p.docId),
        ucsf_document_id: `demo${p.docId}`,
        ucsf_document_page_no: '1',
        answers: q.answers,
        data_split: 'val',
      });
    }
  }
  return { path: 'DocVQA/validation-00000-of-00001.parquet', columns, rows };
}

// ---------------------------------------------------------------- OCRBench

const OCR_WORD_Q = 'what is written in the image?';
const HME_Q = 'Please write out the expression of the formula in the image using LaTeX format.';

function word(s: string, o: Parameters<typeof text>[3] = {}, bg = '#ffffff', w = 448, h = 160): string {
  return svg(w, h, text(w / 2, h / 2 + (o.size ?? 56) / 3, s, { size: 56, anchor: 'middle', ...o }), bg);
}

/** x^{2}+y^{2}=z^{2} laid out in monospace: base glyphs, raised smaller exponents. */
function powersFormula(): string {
  const size = 56;
  const adv = size * MONO_ADVANCE;
  const sup = 32;
  let x = 40;
  let body = '';
  const base = (s: string) => {
    body += text(x, 120, s, { size, family: MONO, style: s.match(/[a-z]/) ? 'italic' : 'normal' });
    x += adv * s.length;
  };
  const power = (s: string) => {
    body += text(x, 92, s, { size: sup, family: MONO });
    x += sup * MONO_ADVANCE + 8;
  };
  base('x'); power('2'); base('+'); base('y'); power('2'); base('='); base('z'); power('2');
  return svg(Math.ceil(x + 40), 180, body);
}

/** \frac{a+b}{2}: numerator over a rule over the denominator. */
function fractionFormula(): string {
  const body = text(160, 80, 'a+b', { size: 48, family: MONO, anchor: 'middle', style: 'italic' }) + line(90, 100, 230, 100, '#111', 4) + text(160, 158, '2', { size: 48, family: MONO, anchor: 'middle' });
  return svg(320, 190, body);
}

interface OcrItem {
  svg: string;
  question: string;
  type: string;
  answers: string[];
}

function ocrbenchItems(): OcrItem[] {
  const receipt = svg(
    360,
    480,
    text(180, 50, 'FRESH MART', { size: 26, weight: 'bold', anchor: 'middle', family: MONO }) +
      text(180, 78, '12 Market Street', { size: 15, anchor: 'middle', family: MONO }) +
      line(30, 96, 330, 96, '#333', 1) +
      [['MILK 1L', '2.40'], ['BREAD', '3.10'], ['APPLES 1KG', '4.25'], ['CHEESE', '9.00']].map(([a, b], i) => text(30, 130 + i * 30, a, { size: 17, family: MONO }) + text(330, 130 + i * 30, b, { size: 17, family: MONO, anchor: 'end' })).join('') +
      line(30, 250, 330, 250, '#333', 1) +
      text(30, 284, 'TOTAL', { size: 20, weight: 'bold', family: MONO }) + text(330, 284, '18.75', { size: 20, weight: 'bold', family: MONO, anchor: 'end' }) +
      text(180, 340, 'THANK YOU', { size: 16, anchor: 'middle', family: MONO }),
    '#fffef8',
  );
  const agenda = svg(448, 320, text(30, 50, 'Meeting Agenda', { size: 26, weight: 'bold', family: SERIF }) + lines(30, 100, ['Date: 9 May', 'Time: 2:00 PM', 'Place: Room 204', '1. Budget review', '2. Hiring plan'], { size: 18 }), '#fdfdfb');
  const bakery = svg(512, 384, rect(0, 0, 512, 384, '#efe6d8') + rect(60, 70, 392, 110, '#6d4c41', '#3e2723', 4, 8) + text(256, 140, 'BAKERY', { size: 56, weight: 'bold', fill: '#fff3e0', anchor: 'middle', family: SERIF }) + text(256, 215, 'Est. 1998', { size: 28, fill: '#4e342e', anchor: 'middle', family: SERIF, style: 'italic' }) + rect(110, 240, 120, 144, '#90a4ae', '#37474f', 3) + rect(282, 240, 120, 110, '#b3e5fc', '#37474f', 3));
  return [
    { svg: word('CENTRAL'), question: OCR_WORD_Q, type: 'Regular Text Recognition', answers: ['CENTRAL'] },
    { svg: svg(448, 220, text(224, 140, 'HARBOR', { size: 60, anchor: 'middle', weight: 'bold', rotate: -18, fill: '#1a237e' }), '#eef3f7'), question: OCR_WORD_Q, type: 'Irregular Text Recognition', answers: ['HARBOR'] },
    { svg: word('Sunrise', { family: SERIF, style: 'italic', weight: 'bold', fill: '#ffcc80', stroke: '#bf360c', strokeWidth: 3, size: 72 }, '#fff8e1', 448, 180), question: OCR_WORD_Q, type: 'Artistic Text Recognition', answers: ['Sunrise'] },
    { svg: word('20240517', { family: MONO, size: 52 }), question: OCR_WORD_Q, type: 'Digit String Recognition', answers: ['20240517'] },
    { svg: word('qzvbtk', { size: 60 }), question: OCR_WORD_Q, type: 'Non-Semantic Text Recognition', answers: ['qzvbtk'] },
    { svg: bakery, question: 'what year was the bakery established?', type: 'Scene Text-centric VQA', answers: ['1998'] },
    { svg: agenda, question: 'in which room is the meeting?', type: 'Doc-oriented VQA', answers: ['204', 'Room 204'] },
    { svg: receipt, question: 'what is the total amount in the receipt?', type: 'Key Information Extraction', answers: ['18.75'] },
    { svg: powersFormula(), question: HME_Q, type: 'Handwritten Mathematical Expression Recognition', answers: ['x^{2}+y^{2}=z^{2}'] },
    { svg: fractionFormula(), question: HME_Q, type: 'Handwritten Mathematical Expression Recognition', answers: ['\\frac{a+b}{2}'] },
  ];
}

export async function ocrbenchTable(): Promise<DemoTable> {
  const columns: Column[] = [
    { name: 'dataset', type: 'string' },
    { name: 'question', type: 'string' },
    { name: 'question_type', type: 'string' },
    { name: 'answer', type: 'string_list' },
    { name: 'image', type: 'image' },
  ];
  const rows: Record<string, Cell>[] = [];
  for (const [i, it] of ocrbenchItems().entries()) {
    rows.push({ dataset: 'cogeval-demo', question: it.question, question_type: it.type, answer: it.answers, image: img(await renderPng(it.svg, 32), `demo_ocrbench_${i}.png`) });
  }
  return { path: 'data/test-00000-of-00001.parquet', columns, rows };
}
