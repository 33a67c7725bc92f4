// Evidence files (佐证材料) of a report: thumbnails and the full file, fetched with the bearer token (an <img src> cannot
// send it) and shown through object URLs; the file chooser of the report form with its upload, one request per file so
// each file has its own progress and its own answer.
import { h, $, replace } from './dom.js';
import { api, planPath, blob, upload, ApiError } from './api.js';

// What the service takes: JPEG, PNG, PDF, and HEIC (an iPhone's camera), which it converts to JPEG as it stores it.
export const ACCEPT = 'image/jpeg,image/png,image/heic,application/pdf';

const evidencePath = (reportId, rest = '') => planPath(`/reports/${encodeURIComponent(reportId)}/evidence${rest}`);

export const listEvidence = (reportId) => api(evidencePath(reportId));

export const isImage = (file) => /^image\//.test(file.contentType ?? file.type ?? '');
/** What a browser shows itself (a HEIC photo has a thumbnail where the service makes one, but is saved, not shown). */
const viewable = (file) => /^image\/(jpeg|png)$/.test(file.contentType ?? file.type ?? '');

export function bytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// ---- object URLs: each belongs to the element showing it; a redraw or the detail closing revokes the orphans ----

const urls = new Map(); // object URL -> the element that shows it

function track(url, owner) {
  urls.set(url, owner);
  return url;
}

/** Revokes the object URLs of elements no longer on the page (or of every element inside `within`, when given). */
export function sweep(within = null) {
  for (const [url, owner] of urls) {
    if (!owner.isConnected || (within && within.contains(owner))) {
      URL.revokeObjectURL(url);
      urls.delete(url);
    }
  }
}

// Thumbnails are small and asked for again on every redraw of the same report: their Blobs are kept (not their URLs).
const thumbs = new Map(); // `${reportId}/${fileId}` -> Promise<Blob>
function thumbnailBlob(reportId, fileId) {
  const key = `${reportId}/${fileId}`;
  if (!thumbs.has(key)) {
    if (thumbs.size >= 300) thumbs.delete(thumbs.keys().next().value);
    const p = blob(evidencePath(reportId, `/${encodeURIComponent(fileId)}/thumbnail`));
    p.catch(() => thumbs.delete(key));
    thumbs.set(key, p);
  }
  return thumbs.get(key);
}

/**
 * The files of one report as a row of buttons: an image's thumbnail (a click shows the full image), a PDF's name (a
 * click downloads it). `files` may be a promise (a pending item's list is read separately).
 */
export function thumbnails(reportId, files, label = '佐证材料') {
  const list = h('ul', { class: 'thumbs', 'aria-label': label, dataset: { report: reportId } });
  Promise.resolve(files).then((items) => {
    if (!items?.length) { list.remove(); return; }
    replace(list, items.map((f) => h('li', {}, fileButton(reportId, f))));
  }, (e) => replace(list, h('li', { class: 'error' }, `佐证材料读取失败：${e.message}`)));
  return list;
}

function fileButton(reportId, file) {
  if (!isImage(file)) {
    return h('button', { type: 'button', class: 'thumb file', title: `下载 ${file.name}`, dataset: { file: file.fileId }, onclick: () => download(reportId, file) },
      h('span', { class: 'thumb-kind' }, 'PDF'), h('span', { class: 'thumb-name' }, file.name));
  }
  const img = h('img', { alt: file.name, width: 72, height: 72, decoding: 'async' });
  const show = viewable(file);
  const button = h('button', { type: 'button', class: 'thumb', title: `${show ? '查看' : '下载'} ${file.name}`, dataset: { file: file.fileId },
    onclick: () => (show ? view(reportId, file) : download(reportId, file)) }, img);
  thumbnailBlob(reportId, file.fileId).then((b) => {
    img.src = track(URL.createObjectURL(b), img);
    img.dataset.loaded = 'true';
    sweep(); // the button may have been redrawn away meanwhile
  }, () => {
    img.replaceWith(h('span', { class: 'thumb-name' }, file.name));
  });
  return button;
}

/** The full image in the viewer dialog (above the detail), with a link that saves the original. */
async function view(reportId, file) {
  const dialog = $('#viewer');
  const body = $('#viewer-body');
  $('#viewer-title').textContent = file.name;
  replace(body, h('p', { class: 'empty' }, '加载中…'));
  if (!dialog.open) dialog.showModal();
  try {
    const b = await blob(evidencePath(reportId, `/${encodeURIComponent(file.fileId)}`));
    const img = h('img', { alt: file.name, class: 'viewer-image' });
    img.src = track(URL.createObjectURL(b), img);
    const link = h('a', { download: file.name, class: 'link' }, `保存原图（${bytes(b.size)}）`);
    link.href = track(URL.createObjectURL(b), link);
    replace(body, img, h('p', {}, link));
  } catch (e) {
    replace(body, h('p', { class: 'error' }, e instanceof ApiError ? `无法打开（${e.status}）：${e.message}` : `无法打开：${e.message}`));
  }
}

/** A PDF (or any file that is not an image) is saved, not shown. */
async function download(reportId, file) {
  try {
    const b = await blob(evidencePath(reportId, `/${encodeURIComponent(file.fileId)}`));
    const a = h('a', { download: file.name, class: 'visually-hidden' });
    a.href = URL.createObjectURL(b);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000); // the download has read it by then
  } catch (e) {
    window.alert(`无法下载 ${file.name}：${e.message}`);
  }
}

export function wireViewer() {
  $('#viewer').addEventListener('close', () => { replace($('#viewer-body')); sweep(); });
}

// ---- the report form's file chooser ----

/**
 * A file input (several files; on a phone the browser offers the camera) with the list of what is chosen: each file's
 * name, size and a remove button; after the report is accepted, `send(reportId)` posts each file and shows its
 * progress and the service's answer on its own line. Files the service refused stay listed with the refusal and a
 * retry, bound to the report they belong to.
 */
export function fileChooser(idBase) {
  const chosen = []; // {file, row, state: 'chosen'|'sending'|'sent'|'refused', reportId}
  const inputId = `${idBase}-files`;
  const input = h('input', { id: inputId, name: 'files', type: 'file', multiple: true, accept: ACCEPT, class: 'file-input' });
  const list = h('ul', { class: 'chosen-files', 'aria-label': '已选择的佐证材料', 'aria-live': 'polite' });
  const box = h('div', { class: 'file-chooser' },
    h('label', { for: inputId, class: 'file-label' }, '佐证材料（照片或 PDF，可多选，可拍照）'),
    input, list);

  input.addEventListener('change', () => {
    for (const file of input.files) add(file);
    input.value = ''; // choosing again adds to the list (and the same file can be chosen again after a remove)
  });

  function add(file) {
    const entry = { file, state: 'chosen', reportId: null };
    entry.status = h('span', { class: 'file-status' }, '待上传');
    entry.preview = isImage(file) && /jpeg|png/.test(file.type) ? h('img', { alt: '', class: 'file-preview', width: 40, height: 40 }) : h('span', { class: 'file-preview file-kind' }, (file.name.split('.').pop() || '').toUpperCase().slice(0, 4));
    if (entry.preview.tagName === 'IMG') entry.preview.src = track(URL.createObjectURL(file), entry.preview);
    entry.remove = h('button', { type: 'button', class: 'link file-remove', 'aria-label': `移除 ${file.name}`, onclick: () => drop(entry) }, '移除');
    entry.row = h('li', { class: 'chosen-file', dataset: { state: 'chosen' } },
      entry.preview,
      h('span', { class: 'file-name' }, file.name),
      h('span', { class: 'file-size' }, bytes(file.size)),
      entry.status, entry.actions = h('span', { class: 'file-actions' }, entry.remove));
    chosen.push(entry);
    list.append(entry.row);
  }

  function drop(entry) {
    chosen.splice(chosen.indexOf(entry), 1);
    entry.row.remove();
    sweep();
    input.focus();
  }

  function mark(entry, state, text) {
    entry.state = state;
    entry.row.dataset.state = state;
    entry.status.className = `file-status ${state}`;
    entry.status.textContent = text;
  }

  async function sendOne(entry) {
    mark(entry, 'sending', '上传中 0%');
    entry.remove.hidden = true;
    try {
      const [stored] = await upload(evidencePath(entry.reportId), entry.file, (f) => mark(entry, 'sending', `上传中 ${Math.round(f * 100)}%`));
      mark(entry, 'sent', `已上传${stored?.bytes ? `（${bytes(stored.bytes)}）` : ''}`);
      entry.retry?.remove();
      return true;
    } catch (e) {
      // Each request carries one file, so the problem's "字段 files[0]：" says nothing the row does not: left out.
      mark(entry, 'refused', e instanceof ApiError ? `未受理（${e.status}）：${e.message.replace(/^字段 files\[\d+\]：/, '')}` : `上传失败：${e.message}`);
      if (!entry.retry) {
        entry.retry = h('button', { type: 'button', class: 'link file-retry', 'aria-label': `重新上传 ${entry.file.name}`, onclick: () => sendOne(entry) }, '重新上传');
        entry.actions.append(entry.retry);
      }
      entry.remove.hidden = false;
      return false;
    }
  }

  return {
    element: box,
    /** Files waiting for a report (chosen, not yet sent with one). */
    get count() { return chosen.filter((e) => e.state === 'chosen').length; },
    /** Posts every waiting file to the report, one after the other; resolves with {sent, refused}. */
    async send(reportId) {
      const waiting = chosen.filter((e) => e.state === 'chosen');
      let sent = 0;
      for (const entry of waiting) {
        entry.reportId = reportId;
        if (await sendOne(entry)) sent++;
      }
      return { sent, refused: waiting.length - sent };
    },
    /** Forgets the files that went (a new report starts with an empty list, refused ones stay with their retry). */
    clearSent() {
      for (const entry of chosen.filter((e) => e.state === 'sent')) drop(entry);
    },
  };
}
