// The data preparation of the exported Python scripts (PyTorch and Keras share it): the app's CSV
// reading, label encoding, seeded split and standardisation, and its image importers, in NumPy.

/** CSV reading, label encoding and the seeded split, as the app does them (electron/services/datasets/*.ts). */
const COMMON_CODE = String.raw`
NUMBER = re.compile(r'^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$')


def parse_number(cell):
    """A plain decimal number, or None (no 'nan', 'inf', hex or empty cells, as in the app)."""
    s = cell.strip()
    if not NUMBER.match(s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


def detect_delimiter(text):
    """The delimiter that splits the first 50 rows most consistently into 2+ fields, as the app picks it."""
    sample = text[:256 * 1024]
    cut = sample.rfind('\n') if len(text) > len(sample) else -1
    sample = sample[:cut] if cut > 0 else sample
    best = None
    for rank, delimiter in ((3, ','), (1, ';'), (0, '\t'), (2, '|')):
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r and any(c.strip() for c in r)][:50]
        if not rows:
            continue
        widths = {}
        for r in rows:
            widths[len(r)] = widths.get(len(r), 0) + 1
        width, count = max(widths.items(), key=lambda wc: (wc[1], wc[0]))
        if width < 2:
            continue
        key = (count / len(rows), -rank)
        if best is None or key > best[0]:
            best = (key, delimiter)
    return best[1] if best else ','


def unique_names(cells):
    """Header names trimmed; blanks named column_<n>, repeats suffixed .1, .2 (as pandas and the app do)."""
    taken, names = set(), []
    for i, cell in enumerate(cells):
        base = cell.strip() or 'column_%d' % (i + 1)
        name, k = base, 1
        while name in taken:
            name, k = '%s.%d' % (base, k), k + 1
        taken.add(name)
        names.append(name)
    return names


def read_table(path):
    """A CSV file as (header, rows of strings): UTF-8 (or Windows-1252), delimiter , ; tab or |."""
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError:
        text = raw.decode('cp1252')
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=detect_delimiter(text)) if r and not (len(r) == 1 and not r[0].strip())]
    if len(rows) < 2:
        sys.exit('%s has no rows of data.' % path)
    has_header = all(parse_number(c) is None for c in rows[0])
    header = unique_names(rows[0]) if has_header else ['column_%d' % (i + 1) for i in range(len(rows[0]))]
    rows = rows[1:] if has_header else rows
    for line, r in enumerate(rows, 2 if has_header else 1):
        if len(r) != len(header):
            sys.exit('Line %d of %s has %d fields but the header has %d.' % (line, path, len(r), len(header)))
    return header, rows


def numeric_column(rows, index, name):
    values = np.empty(len(rows), dtype=np.float64)
    for i, r in enumerate(rows):
        value = parse_number(r[index])
        if value is None:
            sys.exit("Column '%s' has the value '%s' in data row %d, which is not a number." % (name, r[index].strip(), i + 1))
        values[i] = value
    return values


def encode_labels(cells):
    """LabelEncoder: classes sorted (numerically when all are numbers); the first spelling names a class."""
    numeric = all(parse_number(c) is not None for c in cells)
    key = parse_number if numeric else (lambda c: c.strip())
    first = {}
    for c in cells:
        if not c.strip():
            sys.exit('The target column has empty cells: fill them in or remove those rows.')
        first.setdefault(key(c), c.strip())
    keys = sorted(first)
    index = {k: i for i, k in enumerate(keys)}
    return np.array([index[key(c)] for c in cells], dtype=np.int64), [first[k] for k in keys]


class Mulberry32:
    """The app's seeded generator (shared/data/random.ts), so that this script holds out the same rows."""

    def __init__(self, seed):
        self.state = int(seed) & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        s = self.state
        t = ((s ^ (s >> 15)) * (1 | s)) & 0xFFFFFFFF
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & 0xFFFFFFFF)) & 0xFFFFFFFF) ^ t
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = int(self.next() * (i + 1))
            items[i], items[j] = items[j], items[i]
        return items


def split_rows(n, test_fraction, seed):
    """sklearn's ShuffleSplit sizes with the app's shuffle: the first ceil(fraction × n) rows are the test set."""
    order = Mulberry32(seed).shuffle(list(range(n)))
    test_count = math.ceil(test_fraction * n)
    return np.array(order[test_count:], dtype=np.int64), np.array(order[:test_count], dtype=np.int64)
`;

/** A table prepared as the app prepares it: features by name, encoded target, split, standardisation. */
const TABLE_CODE = String.raw`

def fit_scaler(x):
    """StandardScaler: mean and population deviation per feature; constant features are divided by 1."""
    n = x.shape[0]
    mean = x.mean(axis=0)
    var = ((x - mean) ** 2).mean(axis=0)
    eps = np.finfo(np.float64).eps
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    return mean, np.where(constant, 1.0, np.sqrt(var))


def table_features(header):
    if FEATURES is not None:
        return list(FEATURES)
    return [h for h in header if h != TARGET and h not in IGNORED]


def feature_matrix(header, rows, features, path):
    missing = [f for f in features if f not in header]
    if missing:
        sys.exit('%s lacks the column(s) %s that the network reads.' % (path, ', '.join(repr(m) for m in missing)))
    return np.stack([numeric_column(rows, header.index(f), f) for f in features], axis=1)


def load_data(path):
    """The table split and prepared as in the app: features, encoded target, seeded split, standardisation."""
    header, rows = read_table(path)
    if TARGET not in header:
        sys.exit("%s has no target column '%s'." % (path, TARGET))
    features = table_features(header)
    x = feature_matrix(header, rows, features, path)
    cells = [r[header.index(TARGET)] for r in rows]
    if TASK == 'regression':
        y, class_names = numeric_column(rows, header.index(TARGET), TARGET), None
    else:
        y, class_names = encode_labels(cells)
    train, test = split_rows(len(rows), TEST_FRACTION, SPLIT_SEED)
    scaler = None
    if STANDARDIZE:
        scaler = fit_scaler(x[train])
        x = (x - scaler[0]) / scaler[1]
    return {
        'x_train': x[train].astype(np.float32), 'y_train': y[train],
        'x_test': x[test].astype(np.float32), 'y_test': y[test],
        'class_names': class_names, 'features': features, 'scaler': scaler,
    }


def prediction_inputs(path):
    """New rows for --predict-only, standardised with the statistics the weights were trained with."""
    header, rows = read_table(path)
    x = feature_matrix(header, rows, list(FEATURES), path)
    if TRAINED_SCALER is not None:
        x = (x - np.array(TRAINED_SCALER['mean'])) / np.array(TRAINED_SCALER['std'])
    elif STANDARDIZE:
        sys.exit('--predict-only needs the standardisation the weights were trained with: export the script from a run.')
    return x.astype(np.float32)
`;

/** Reading an image dataset as the app's importers do (electron/services/datasets/images/*.ts). */
const IMAGE_CODE = String.raw`
CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def resize_bilinear(images, height, width):
    """The app's resize: bilinear with half-pixel centres, no antialiasing; images are N×H×W×C bytes."""
    n, h, w, c = images.shape
    if (h, w) == (height, width):
        return images
    sy = np.clip((np.arange(height) + 0.5) * (h / height) - 0.5, 0, h - 1)
    sx = np.clip((np.arange(width) + 0.5) * (w / width) - 0.5, 0, w - 1)
    y0, x0 = np.floor(sy).astype(int), np.floor(sx).astype(int)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    fy, fx = (sy - y0)[None, :, None, None], (sx - x0)[None, None, :, None]
    f = images.astype(np.float64)
    top = f[:, y0][:, :, x0] * (1 - fx) + f[:, y0][:, :, x1] * fx
    bottom = f[:, y1][:, :, x0] * (1 - fx) + f[:, y1][:, :, x1] * fx
    return np.floor(top * (1 - fy) + bottom * fy + 0.5).astype(np.uint8)


def to_channels(images, channels):
    """Grey to colour by copying; colour to grey with ITU-R 601 luma, as PIL's 'L' mode and the app."""
    if images.shape[3] == channels:
        return images
    if channels == 3:
        return np.repeat(images, 3, axis=3)
    rgb = images.astype(np.int64)
    luma = (rgb[..., 0] * 299 + rgb[..., 1] * 587 + rgb[..., 2] * 114) / 1000
    return np.floor(luma + 0.5).astype(np.uint8)[..., None]


def decode_image(data):
    try:
        from PIL import Image
    except ImportError:
        sys.exit('Reading JPEG/PNG images needs Pillow: pip install pillow')
    image = Image.open(io.BytesIO(data))
    grey = image.mode in ('L', 'LA', 'I', 'I;16', '1')
    return np.asarray(image.convert('L' if grey else 'RGB'), dtype=np.uint8).reshape(image.size[1], image.size[0], 1 if grey else 3)


def archive_files(path):
    """(relative path, bytes reader) of every file in a folder, .tar(.gz) or .zip."""
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            for name in names:
                full = os.path.join(root, name)
                yield os.path.relpath(full, path).replace(os.sep, '/'), (lambda full=full: open(full, 'rb').read())
    elif zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        for info in archive.infolist():
            if not info.is_dir():
                yield info.filename, (lambda info=info: archive.read(info))
    else:
        archive = tarfile.open(path)
        for member in archive.getmembers():
            if member.isfile():
                yield member.name, (lambda member=member: archive.extractfile(member).read())


def image_folder(path):
    """One sub-folder per class, optionally under train/ and test/ (torchvision's ImageFolder layout)."""
    files = [(p.split('/'), read) for p, read in archive_files(path)
             if re.search(r'\.(jpe?g|png)$', p, re.I) and not any(s.startswith('.') or s == '__MACOSX' for s in p.split('/'))]
    files = [f for f in files if len(f[0]) >= 2]
    while files and all(len(parts) >= 3 and parts[0] == files[0][0][0] for parts, _ in files):
        files = [(parts[1:], read) for parts, read in files]
    is_split = any(len(parts) >= 3 and parts[0].lower() == 'train' for parts, _ in files)
    split = {'train': [], 'test': []}
    for parts, read in files:
        which = 'train'
        if is_split:
            which = parts[0].lower()
            parts = parts[1:]
            if which not in split:
                continue
        if len(parts) >= 2:
            split[which].append(('/'.join(parts), parts[0], read))
    classes = sorted({c for s in split.values() for _, c, _ in s})
    label = {c: i for i, c in enumerate(classes)}

    def decode(entries):
        entries.sort(key=lambda e: (label[e[1]], e[0]))
        images = [decode_image(read()) for _, _, read in entries]
        channels = 1 if all(i.shape[2] == 1 for i in images) else 3
        if IMAGE_SIZE is None and len({i.shape[:2] for i in images}) > 1:
            sys.exit('The images have different sizes: set the image size in the project (Data view).')
        size = IMAGE_SIZE or images[0].shape[:2]
        out = np.stack([resize_bilinear(to_channels(i[None], channels), *size)[0] for i in images])
        return out, np.array([label[c] for _, c, _ in entries], dtype=np.int64)

    return classes, decode(split['train']), (decode(split['test']) if split['test'] else None)


def cifar_binary(path):
    """CIFAR-10 binary version: records of 1 label byte + 1024 red, 1024 green, 1024 blue bytes."""
    files = {p.split('/')[-1]: read for p, read in archive_files(path)}
    def batch(names):
        data = np.concatenate([np.frombuffer(files[n](), dtype=np.uint8) for n in names]).reshape(-1, 3073)
        return data[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), data[:, 0].astype(np.int64)
    train = sorted(n for n in files if re.match(r'data_batch_\d+\.bin$', n))
    classes = CIFAR10_CLASSES
    if 'batches.meta.txt' in files:
        classes = [l.strip() for l in files['batches.meta.txt']().decode().splitlines() if l.strip()]
    return classes, batch(train), (batch(['test_batch.bin']) if 'test_batch.bin' in files else None)


def idx_folder(path):
    """MNIST-style train-/t10k- images and labels files, optionally gzipped."""
    found = {}
    for name in sorted(os.listdir(path)):
        m = re.search(r'(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$', name, re.I)
        if m:
            found.setdefault((m.group(1).lower(), m.group(2).lower()), os.path.join(path, name))
    def read(p):
        with (gzip.open(p) if p.endswith('.gz') else open(p, 'rb')) as f:
            data = f.read()
        dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(data[3])]
        return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)
    def pair(split):
        if (split, 'images') not in found:
            return None
        return read(found[(split, 'images')])[..., None].copy(), read(found[(split, 'labels')]).astype(np.int64)
    train = pair('train')
    classes = FASHION_CLASSES if 'fashion' in path.lower() else [str(i) for i in range(max(10, int(train[1].max()) + 1))]
    return classes, train, pair('t10k')


def pixel_csv(path):
    """A CSV of pixel columns and a label column (the digits set), scaled from 0..MAX_VALUE to bytes."""
    header, rows = read_table(path)
    label_index = header.index(PIXEL_CSV['labelColumn'])
    pixels = [i for i in range(len(header)) if i != label_index]
    values = np.array([[float(r[i]) for i in pixels] for r in rows])
    images = np.floor(values * (255 / PIXEL_CSV['maxValue']) + 0.5).astype(np.uint8)
    images = images.reshape(-1, PIXEL_CSV['height'], PIXEL_CSV['width'], PIXEL_CSV['channels'])
    labels, classes = encode_labels([r[label_index] for r in rows])
    return classes, (images, labels), None


def read_images(path):
    if PIXEL_CSV is not None:
        return pixel_csv(path)
    if os.path.isdir(path):
        names = os.listdir(path)
        if any(re.search(r'idx[13]-ubyte', n) for n in names):
            return idx_folder(path)
        if any(n.startswith('data_batch_') for n in names) or 'cifar-10-batches-bin' in names:
            return cifar_binary(os.path.join(path, 'cifar-10-batches-bin') if 'cifar-10-batches-bin' in names else path)
        return image_folder(path)
    if any(p.endswith('data_batch_1.bin') for p, _ in archive_files(path)):
        return cifar_binary(path)
    return image_folder(path)


def load_data(path):
    """Images as the app prepares them: its size and channels, the dataset's test set or a seeded split,
    pixels scaled to 0..1 and normalised per channel; returned channels-last (N×H×W×C)."""
    classes, (x, y), test = read_images(path)
    if IMAGE_SIZE is not None:
        x = resize_bilinear(x, *IMAGE_SIZE)
    x = to_channels(x, CHANNELS)
    if test is None:
        train, held_out = split_rows(len(x), TEST_FRACTION, SPLIT_SEED)
        x, y, x_test, y_test = x[train], y[train], x[held_out], y[held_out]
    else:
        x_test, y_test = test
        x_test = to_channels(resize_bilinear(x_test, *IMAGE_SIZE) if IMAGE_SIZE is not None else x_test, CHANNELS)
    if LIMIT_TRAIN is not None:
        x, y = x[:LIMIT_TRAIN], y[:LIMIT_TRAIN]
    if LIMIT_TEST is not None:
        x_test, y_test = x_test[:LIMIT_TEST], y_test[:LIMIT_TEST]
    x = x.astype(np.float32) / 255
    x_test = x_test.astype(np.float32) / 255
    if TRAINED_NORMALIZATION is not None:
        mean, std = np.array(TRAINED_NORMALIZATION['mean']), np.array(TRAINED_NORMALIZATION['std'])
    elif NORMALIZATION == 'half':
        mean, std = np.full(CHANNELS, 0.5), np.full(CHANNELS, 0.5)
    elif NORMALIZATION == 'dataset':
        mean, std = x.mean(axis=(0, 1, 2)), x.std(axis=(0, 1, 2))
    else:
        mean, std = np.zeros(CHANNELS), np.ones(CHANNELS)
    norm = lambda a: ((a - mean) / std).astype(np.float32)
    return {
        'x_train': norm(x), 'y_train': y, 'x_test': norm(x_test), 'y_test': y_test,
        'class_names': classes, 'mean': mean, 'std': std,
    }


def prediction_inputs(paths):
    """Image files for --predict-only: the network's size exactly (never resized), normalised as in training."""
    images = []
    for p in paths:
        with open(p, 'rb') as f:
            image = decode_image(f.read())
        if image.shape[:2] != tuple(INPUT_SHAPE[:2]):
            sys.exit('%s is %d×%d pixels but the network takes %d×%d images: resize it first.' % (p, image.shape[1], image.shape[0], INPUT_SHAPE[1], INPUT_SHAPE[0]))
        images.append(to_channels(image[None], CHANNELS)[0])
    x = np.stack(images).astype(np.float32) / 255
    norm = TRAINED_NORMALIZATION or {'half': {'mean': [0.5] * CHANNELS, 'std': [0.5] * CHANNELS},
                                     'unit': {'mean': [0.0] * CHANNELS, 'std': [1.0] * CHANNELS}}.get(NORMALIZATION)
    if norm is None:
        sys.exit('--predict-only needs the normalisation the weights were trained with: export the script from a run.')
    return ((x - np.array(norm['mean'])) / np.array(norm['std'])).astype(np.float32)
`;

/** The data section of a script for a project's data format. */
export function dataCode(format: 'table' | 'images'): string {
  return `${COMMON_CODE.trim()}\n\n${(format === 'images' ? IMAGE_CODE : TABLE_CODE).trim()}`;
}
