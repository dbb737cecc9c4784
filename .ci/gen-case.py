#!/usr/bin/env python3
"""Writes a case folder for the limits measurements: P partners, O options,
Y years, L cost lines per option, N scenarios, S sensitivity fractions,
optional long texts. Usage: gen.py DIR key=value ..."""
import sys, zipfile, os, shutil
from xml.sax.saxutils import escape

def col(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

def sheet_xml(rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows):
        out.append(f'<row r="{r+1}">')
        for c, v in enumerate(row):
            if v is None or v == '':
                continue
            ref = f'{col(c)}{r+1}'
            if isinstance(v, (int, float)):
                out.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        out.append('</row>')
    out.append('</sheetData></worksheet>')
    return ''.join(out)

def workbook(path, sheets):
    z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    for i in range(len(sheets)):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i+1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    ct.append('</Types>')
    z.writestr('[Content_Types].xml', ''.join(ct))
    z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for i, (name, rows) in enumerate(sheets):
        wb.append(f'<sheet name="{name}" sheetId="{i+1}" r:id="rId{i+1}"/>')
        rels.append(f'<Relationship Id="rId{i+1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i+1}.xml"/>')
        z.writestr(f'xl/worksheets/sheet{i+1}.xml', sheet_xml(rows))
    wb.append('</sheets></workbook>')
    rels.append('</Relationships>')
    z.writestr('xl/workbook.xml', ''.join(wb))
    z.writestr('xl/_rels/workbook.xml.rels', ''.join(rels))
    z.close()

a = dict(kv.split('=', 1) for kv in sys.argv[2:])
P = int(a.get('partners', 3)); O = int(a.get('options', 2)); Y = int(a.get('years', 10))
L = int(a.get('lines', 2)); N = int(a.get('scenarios', 0)); S = int(a.get('sensitivity', 2))
unit = a.get('unit', '£k'); amount = a.get('amount', '100'); infl = a.get('inflation', '0.02')
title = 'T' * int(a['title_len']) if 'title_len' in a else 'Measured case'
marking = 'M' * int(a['marking_len']) if 'marking_len' in a else 'OFFICIAL'
discount = a.get('discount')
headings = int(a.get('headings', 0)); marks = int(a.get('marks', 0))
d = sys.argv[1]
shutil.rmtree(d, ignore_errors=True)
os.makedirs(d + '/narrative')
years = [f'{2025+i}/{(26+i)%100:02d}' for i in range(Y)]
partners = [f'Force {i+1}' for i in range(P)]
opts = ['BAU'] + [f'OPT{i}' for i in range(1, O)]
sheets = [
    ('Assumptions', [['Assumptions'], ['Name', 'Value'], ['Base year', '2025/26'], ['Unit', unit],
                     ['Discount rate', 'Green Book'], ['General inflation', float(infl)], ['Pay inflation', float(infl)],
                     ['Apportionment key', 'Government grant']]),
    ('Partners', [['Partner', 'Government grant']] + [[p, 100 + i] for i, p in enumerate(partners)]),
    ('Options', [['Option', 'Name', 'Description', 'Baseline', 'Optimism bias capital', 'Optimism bias revenue']] +
     [[o, f'Option {o}', 'An option', 'Yes' if i == 0 else 'No', 0 if i == 0 else 0.1, 0 if i == 0 else 0.1] for i, o in enumerate(opts)]),
]
costs = [['Option', 'Line', 'Type', 'Partner'] + years]
benefits = [['Option', 'Line', 'Type', 'Partner'] + years]
n = 0
for o in opts:
    for l in range(L):
        # Lines cycle through the partners, so every partner has lines of its own.
        p = partners[n % P] if (n % 2) else ''
        costs.append([o, f'Cost line {l+1}', 'Revenue', p] + [float(amount) if '.' in amount or 'e' in amount else int(amount)] * Y)
        if o != 'BAU':
            benefits.append([o, f'Saving {l+1}', 'Cashable', p] + [int(amount) // 2 if amount.isdigit() else 1] * Y)
        n += 1
sheets += [('Costs', costs), ('Benefits', benefits)]
workbook(d + '/workbook.xlsx', sheets)
t = [f'title = "{title}"', 'stage = "OBC"', 'date = 2026-11-20', f'marking = "{marking}"', 'preferred = "OPT1"',
     'sensitivity = [' + ', '.join(['0.1'] * S) + ']']
for i in range(N):
    if discount: t += ['', '[[scenario]]', f'name = "d{i}"', f'discount_rate = {discount}']; continue
    t += ['', '[[scenario]]', f'name = "s{i}"', f'description = "Scenario {i}"', f'cost_overrun = 0.{(i%9)+1}',
          f'partners = {[x for x in partners[: max(1, P - 1)]]!r}'.replace("'", '"') if False else f'savings_realisation = 0.{(i%9)+1}']
open(d + '/case.toml', 'w').write('\n'.join(t) + '\n')
for part in ['executive-summary', 'strategic', 'economic', 'commercial', 'financial', 'management']:
    body = f'# {part}\n\nSome text.\n'
    if part == 'strategic' and headings:
        body = ''.join(f'## H{i}\n\n' for i in range(headings))
    if part == 'economic' and marks:
        body = 'Cafe' + '\u0301' * marks + ' here.\n'
    open(f'{d}/narrative/{part}.md', 'w').write(body)
